// Where `carpdeck serve` keeps saved SSH secrets: in memory unless told otherwise; with --credentials-file FILE in
// that file, sealed with a passphrase (scrypt + AES-256-GCM, mode 0600) taken from $CARPDECK_CREDENTIALS_PASSPHRASE
// or asked on the terminal.
import { existsSync } from 'node:fs';
import { passphraseSealer } from '../core/credentials/passphrase.js';
import { SealedFileStore } from '../core/credentials/sealed-file.js';
import { CredentialError, MemoryCredentialStore, type CredentialStore } from '../core/credentials/store.js';
import { HEADLESS_MEMORY_NOTICE } from '../core/platform.js';

export const PASSPHRASE_ENV = 'CARPDECK_CREDENTIALS_PASSPHRASE';

export interface PassphraseSource {
  env: NodeJS.ProcessEnv;
  /** Asks on a terminal (secret); undefined when there is none. */
  ask?: (question: string) => Promise<string>;
}

async function passphraseFor(file: string, src: PassphraseSource): Promise<string> {
  const fromEnv = src.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined) return fromEnv;
  if (!src.ask) {
    throw new CredentialError('no-passphrase', `--credentials-file ${file} needs a passphrase: set ${PASSPHRASE_ENV} or run carpdeck serve on a terminal to be asked`, file);
  }
  const first = await src.ask(`Passphrase for ${file}: `);
  if (!existsSync(file)) {
    const again = await src.ask('The file is new: repeat the passphrase: ');
    if (again !== first) throw new CredentialError('no-passphrase', 'the two passphrases differ; start again', file);
  }
  return first;
}

export async function headlessCredentials(file: string | undefined, src: PassphraseSource): Promise<CredentialStore> {
  if (file === undefined) return new MemoryCredentialStore(HEADLESS_MEMORY_NOTICE);
  return SealedFileStore.open(file, passphraseSealer(await passphraseFor(file, src)));
}
