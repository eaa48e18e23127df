// What differs between the Electron shell and `carpdeck serve`. Main and the headless server each build one;
// the core sees only this interface and never imports `electron`.
import type { AppMode } from '../../shared/api/contract.js';
import packageJson from '../../package.json';

export interface Platform {
  readonly mode: AppMode;
  /** CarpDeck's version. */
  readonly version: string;
  /** The operating system as Node names it ('linux', 'darwin', 'win32', ...). */
  readonly os: string;
}

/** The platform of a plain Node process (the headless server, tests). */
export function nodePlatform(mode: AppMode): Platform {
  return { mode, version: packageJson.version, os: process.platform };
}
