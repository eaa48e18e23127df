import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { passphraseSealer } from '../../../electron/core/credentials/passphrase.js';
import { SealedFileStore } from '../../../electron/core/credentials/sealed-file.js';
import { CredentialError, MemoryCredentialStore } from '../../../electron/core/credentials/store.js';
import { headlessCredentials, PASSPHRASE_ENV } from '../../../electron/headless/credentials.js';

// a low scrypt cost keeps the tests fast; the format records N, so the real default is read the same way
const sealer = (p: string) => passphraseSealer(p, { N: 2 ** 12 });
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'carpdeck-cred-'));
  file = join(dir, 'creds.sealed');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('passphrase-sealed credentials file', () => {
  it('keeps secrets across reopening, in a 0600 file with neither the secret nor the target in plaintext', async () => {
    const store = await SealedFileStore.open(file, sealer('correct horse'));
    expect(store.persistent).toBe(true);
    await store.set('root@192.0.2.10', { password: 'hunter2-S3cret' });
    await store.set('admin@fw2.example:2222', { passphrase: 'key-passphrase-XYZ' });
    const raw = readFileSync(file);
    for (const plain of ['hunter2-S3cret', 'key-passphrase-XYZ', '192.0.2.10', 'fw2.example']) {
      expect(raw.includes(Buffer.from(plain))).toBe(false);
      expect(raw.includes(Buffer.from(Buffer.from(plain).toString('base64').slice(0, 12)))).toBe(false);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await SealedFileStore.open(file, sealer('correct horse'));
    expect(await again.list()).toEqual(['admin@fw2.example:2222', 'root@192.0.2.10']);
    expect(await again.get('root@192.0.2.10')).toEqual({ password: 'hunter2-S3cret' });
    expect(await again.delete('root@192.0.2.10')).toBe(true);
    expect(await (await SealedFileStore.open(file, sealer('correct horse'))).list()).toEqual(['admin@fw2.example:2222']);
  });

  it('refuses a wrong passphrase with a clear error and leaves the file as it was', async () => {
    await (await SealedFileStore.open(file, sealer('right'))).set('root@h', { password: 'p' });
    const before = readFileSync(file);
    const err = await SealedFileStore.open(file, sealer('wrong')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialError);
    expect(err).toMatchObject({ code: 'wrong-passphrase', where: file });
    expect((err as Error).message).toMatch(/wrong passphrase/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file whose sealed data or header was altered', async () => {
    await (await SealedFileStore.open(file, sealer('pw'))).set('root@h', { password: 'p' });
    const sealed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...sealed, N: 2 ** 13 }));
    await expect(SealedFileStore.open(file, sealer('pw'))).rejects.toMatchObject({ code: 'wrong-passphrase' });
    writeFileSync(file, 'not json at all');
    await expect(SealedFileStore.open(file, sealer('pw'))).rejects.toMatchObject({ code: 'bad-file' });
  });

  it('refuses an empty passphrase', () => {
    expect(() => passphraseSealer('')).toThrow(/passphrase is empty/);
  });
});

describe('credential stores of carpdeck serve', () => {
  it('keeps secrets in memory only by default and says so', async () => {
    const store = await headlessCredentials(undefined, { env: {} });
    expect(store.persistent).toBe(false);
    expect(store.notice).toMatch(/memory only.*--credentials-file/);
    await store.set('root@h', { password: 'x' });
    expect(await store.get('root@h')).toEqual({ password: 'x' });
  });

  it('opens --credentials-file with the passphrase from the environment', async () => {
    const store = await headlessCredentials(file, { env: { [PASSPHRASE_ENV]: 'from-env' } });
    await store.set('root@h', { password: 'x' });
    expect(store.persistent).toBe(true);
    await expect(headlessCredentials(file, { env: { [PASSPHRASE_ENV]: 'not-it' } })).rejects.toMatchObject({ code: 'wrong-passphrase' });
  });

  it('asks twice for a new file on a terminal, and refuses without any passphrase source', async () => {
    const asked: string[] = [];
    const answers = ['one', 'two'];
    await expect(headlessCredentials(file, { env: {}, ask: async (q) => (asked.push(q), answers.shift()!) })).rejects.toThrow(/differ/);
    expect(asked).toHaveLength(2);
    await expect(headlessCredentials(file, { env: {} })).rejects.toThrow(new RegExp(PASSPHRASE_ENV));
  });

  it('memory store forgets on delete and lists targets sorted', async () => {
    const m = new MemoryCredentialStore();
    await m.set('b@h', { password: '1' });
    await m.set('a@h', { passphrase: '2' });
    expect(await m.list()).toEqual(['a@h', 'b@h']);
    expect(await m.delete('b@h')).toBe(true);
    expect(await m.delete('b@h')).toBe(false);
    expect(await m.get('b@h')).toBeUndefined();
  });
});

describe('carpdeck serve --credentials-file', () => {
  it('takes the file from the command line (inline or as the next word)', async () => {
    const { parseServeArgs } = await import('../../../electron/cli/commands/serve.js');
    expect(parseServeArgs(['--credentials-file', '/tmp/c.sealed']).credentialsFile).toBe('/tmp/c.sealed');
    expect(parseServeArgs(['--credentials-file=/tmp/d.sealed', '--port', '0']).credentialsFile).toBe('/tmp/d.sealed');
    expect(parseServeArgs([]).credentialsFile).toBeUndefined();
    expect(() => parseServeArgs(['--credentials-file'])).toThrow(/--credentials-file needs a value/);
  });
});
