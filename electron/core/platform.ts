// What differs between the Electron shell and `carpdeck serve`. Main and the headless server each build one;
// the core sees only this interface and never imports `electron`.
import type { AppMode } from '../../shared/api/contract.js';
import packageJson from '../../package.json';
import { MemoryCredentialStore, type CredentialStore } from './credentials/store.js';

export interface Platform {
  readonly mode: AppMode;
  /** CarpDeck's version. */
  readonly version: string;
  /** The operating system as Node names it ('linux', 'darwin', 'win32', ...). */
  readonly os: string;
  /** Saved SSH secrets (encrypted at rest when persistent); in memory when absent. */
  readonly secrets?: CredentialStore;
  /** Pinned SSH host keys; default ~/.config/carpdeck/known-hosts.json (or $CARPDECK_KNOWN_HOSTS). */
  readonly knownHostsFile?: string;
}

export const HEADLESS_MEMORY_NOTICE =
  'saved passwords are kept in memory only and forgotten when carpdeck serve stops; start it with --credentials-file FILE to keep them (encrypted with a passphrase)';

/** The platform of a plain Node process (the headless server, tests). */
export function nodePlatform(mode: AppMode, secrets: CredentialStore = new MemoryCredentialStore(HEADLESS_MEMORY_NOTICE)): Platform {
  return { mode, version: packageJson.version, os: process.platform, secrets };
}
