// Saved SSH secrets in the Electron app: one file in userData sealed with safeStorage (the OS keychain, DPAPI,
// kwallet/libsecret). Where the OS offers no encryption (isEncryptionAvailable() false, or Linux falling back to
// its "basic_text" store, which is plaintext in effect), nothing is written: secrets stay in memory with a notice.
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { SealedFileStore, type Sealer } from '../core/credentials/sealed-file.js';
import { CredentialError, MemoryCredentialStore, type CredentialStore } from '../core/credentials/store.js';

export const CREDENTIALS_FILE = 'credentials.sealed';

export const NO_ENCRYPTION_NOTICE =
  'this system offers no encryption for saved secrets (no keychain or keyring is available), so CarpDeck keeps remembered passwords in memory only until it quits';

export function safeStorageSealer(safeStorage: Pick<SafeStorage, 'encryptString' | 'decryptString'>): Sealer {
  return {
    seal: async (plain) => safeStorage.encryptString(plain),
    unseal: async (data, where) => {
      try {
        return safeStorage.decryptString(Buffer.from(data));
      } catch (e) {
        throw new CredentialError('unreadable', `cannot decrypt ${where} (${(e as Error).message}): it was sealed by another user or keyring; remove it to start over`, where);
      }
    },
  };
}

export function encryptionUsable(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend'>, platform: string): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/** Call after app `ready` (safeStorage needs it on Linux). Never throws: problems become an in-memory store with a notice. */
export async function electronCredentials(
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>,
  userData: string,
  platform: string = process.platform,
): Promise<CredentialStore> {
  if (!encryptionUsable(safeStorage, platform)) return new MemoryCredentialStore(NO_ENCRYPTION_NOTICE);
  const file = path.join(userData, CREDENTIALS_FILE);
  try {
    return await SealedFileStore.open(file, safeStorageSealer(safeStorage));
  } catch (e) {
    return new MemoryCredentialStore(`${(e as Error).message}; remembered passwords are kept in memory only for now`);
  }
}
