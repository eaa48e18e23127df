// A credential store kept in one file whose whole content (targets included) is sealed by a Sealer: Electron's
// safeStorage in the app, scrypt + AES-256-GCM with a passphrase in `carpdeck serve --credentials-file`. The file
// is rewritten atomically (temp file + rename) with mode 0600 after every change; plaintext never touches disk.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CredentialError, MemoryCredentialStore, type CredentialStore, type SavedSecret } from './store.js';

export interface Sealer {
  seal(plain: string): Promise<Uint8Array>;
  /** Throws CredentialError when the data cannot be opened (wrong key or passphrase, altered file). */
  unseal(data: Uint8Array, where: string): Promise<string>;
}

export class SealedFileStore extends MemoryCredentialStore implements CredentialStore {
  override readonly persistent: boolean = true;

  private constructor(
    readonly file: string,
    private readonly sealer: Sealer,
  ) {
    super();
  }

  /** Opens (or prepares to create) the store; a file that exists must open with this sealer. */
  static async open(file: string, sealer: Sealer): Promise<SealedFileStore> {
    const store = new SealedFileStore(file, sealer);
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return store;
      throw new CredentialError('unreadable', `cannot read the credentials file ${file} (${code ?? (e as Error).message})`, file);
    }
    const text = await sealer.unseal(data, file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CredentialError('bad-file', `${file} opened but does not hold CarpDeck credentials; move it away or name another file`, file);
    }
    const entries = (parsed as { entries?: unknown }).entries;
    if (typeof entries !== 'object' || entries === null) throw new CredentialError('bad-file', `${file} opened but does not hold CarpDeck credentials; move it away or name another file`, file);
    for (const [target, secret] of Object.entries(entries as Record<string, SavedSecret>)) store.entries.set(target, secret);
    return store;
  }

  override async set(target: string, secret: SavedSecret): Promise<void> {
    await super.set(target, secret);
    await this.save();
  }

  override async delete(target: string): Promise<boolean> {
    const removed = await super.delete(target);
    if (removed) await this.save();
    return removed;
  }

  private async save(): Promise<void> {
    const sealed = await this.sealer.seal(JSON.stringify({ entries: Object.fromEntries(this.entries) }));
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, sealed, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}
