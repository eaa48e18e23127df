// The parts of a carpd config the deploy needs to know (where the socket and state live, which VIPs to check after
// an uninstall). Full validation is carpd's own `--check`, run on the node before the config is put in place.
import { DeployError } from './errors.js';

export interface ConfigFacts {
  controlSocket: string;
  stateDir: string;
  vips: { interface: string; vip: string }[];
}

export function configFacts(text: string, where: string): ConfigFacts {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DeployError('bad-config', `${where} is not JSON: ${(e as Error).message}`, where);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new DeployError('bad-config', `${where} must hold a JSON object (a carpd config, see daemon/README.md)`, where);
  const c = raw as { controlSocket?: unknown; stateDir?: unknown; vhids?: unknown };
  const str = (v: unknown, d: string) => (typeof v === 'string' && v.startsWith('/') ? v : d);
  const vips = Array.isArray(c.vhids)
    ? c.vhids.flatMap((v: { interface?: unknown; vips?: unknown }) =>
        typeof v?.interface === 'string' && Array.isArray(v.vips) ? v.vips.filter((x): x is string => typeof x === 'string').map((vip) => ({ interface: v.interface as string, vip })) : [],
      )
    : [];
  return { controlSocket: str(c.controlSocket, '/run/carpd.sock'), stateDir: str(c.stateDir, '/var/lib/carpd'), vips };
}
