import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CREDENTIALS_FILE, electronCredentials, NO_ENCRYPTION_NOTICE } from '../../../electron/main/secrets.js';

/** safeStorage as Electron offers it, with an XOR "keyring" standing in for the OS (reversible, not plaintext). */
function fakeSafeStorage(available: boolean, backend: 'basic_text' | 'gnome_libsecret' = 'gnome_libsecret') {
  return {
    isEncryptionAvailable: vi.fn(() => available),
    getSelectedStorageBackend: vi.fn(() => backend),
    encryptString: vi.fn((plain: string) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0xa5))),
    decryptString: vi.fn((sealed: Buffer) => Buffer.from(sealed.map((b) => b ^ 0xa5)).toString('utf8')),
  };
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'carpdeck-safe-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('saved credentials in the Electron app (safeStorage)', () => {
  it('seals the store with safeStorage into userData: no plaintext on disk, readable after a restart', async () => {
    const safe = fakeSafeStorage(true);
    const store = await electronCredentials(safe, dir, 'linux');
    expect(store.persistent).toBe(true);
    await store.set('root@10.0.0.1', { password: 'Tr0ub4dor&3' });
    expect(safe.encryptString).toHaveBeenCalled();
    const raw = readFileSync(join(dir, CREDENTIALS_FILE));
    expect(raw.includes(Buffer.from('Tr0ub4dor&3'))).toBe(false);
    expect(raw.includes(Buffer.from('10.0.0.1'))).toBe(false);
    const again = await electronCredentials(fakeSafeStorage(true), dir, 'linux');
    expect(await again.get('root@10.0.0.1')).toEqual({ password: 'Tr0ub4dor&3' });
  });

  it('refuses to persist when safeStorage has no encryption: memory only, with a notice, no file', async () => {
    const safe = fakeSafeStorage(false);
    const store = await electronCredentials(safe, dir, 'linux');
    await store.set('root@h', { password: 'x' });
    expect(store.persistent).toBe(false);
    expect(store.notice).toBe(NO_ENCRYPTION_NOTICE);
    expect(safe.encryptString).not.toHaveBeenCalled();
    expect(existsSync(join(dir, CREDENTIALS_FILE))).toBe(false);
  });

  it("treats Linux's basic_text backend (plaintext in effect) as no encryption", async () => {
    const store = await electronCredentials(fakeSafeStorage(true, 'basic_text'), dir, 'linux');
    expect(store.persistent).toBe(false);
  });

  it('falls back to memory with the reason when the sealed file cannot be decrypted', async () => {
    const store = await electronCredentials(fakeSafeStorage(true), dir, 'linux');
    await store.set('root@h', { password: 'x' });
    const broken = { ...fakeSafeStorage(true), decryptString: vi.fn(() => { throw new Error('key not found'); }) };
    const fallback = await electronCredentials(broken, dir, 'linux');
    expect(fallback.persistent).toBe(false);
    expect(fallback.notice).toMatch(/cannot decrypt .*key not found/);
  });
});
