// Where `carpdeck capture-rights grant` installs the standalone capture helper, and under which group: the
// dumpcap model (root-owned, group-executable, file capabilities, users join the group).
import path from 'node:path';
import { INSTALLED_HELPER_NAME } from '../../capture-helper/open-error.js';

export const DEFAULT_PREFIX = '/usr/local/lib/carpdeck';
export const DEFAULT_GROUP = 'carpdeck-capture';
/** Another install directory (tests, or a site that keeps local software elsewhere). */
export const PREFIX_ENV = 'CARPDECK_CAPTURE_PREFIX';
/** What the helper is given: raw packet sockets and promiscuous mode, nothing else. */
export const CAPABILITIES = 'cap_net_raw,cap_net_admin=eip';

export interface Layout {
  prefix: string;
  helper: string;
  capNode: string;
  manifest: string;
}

export function capturePrefix(env: NodeJS.ProcessEnv = process.env): string {
  return env[PREFIX_ENV] || DEFAULT_PREFIX;
}

export function layout(prefix: string): Layout {
  return {
    prefix,
    helper: path.join(prefix, INSTALLED_HELPER_NAME),
    capNode: path.join(prefix, 'cap.node'),
    manifest: path.join(prefix, `${INSTALLED_HELPER_NAME}.json`),
  };
}
