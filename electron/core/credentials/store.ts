// Saved SSH secrets (a login password or a key passphrase) by target (USER@HOST[:PORT]). The core sees only this
// interface; where and how they are kept (Electron safeStorage, a passphrase-encrypted file, memory) is the
// platform's business. Secrets never travel to the renderer: it only learns which targets have one.

export interface SavedSecret {
  password?: string;
  passphrase?: string;
}

export interface CredentialStore {
  /** True when secrets survive a restart (always encrypted at rest); false when they live in memory only. */
  readonly persistent: boolean;
  /** Why secrets are not persistent (or anything else the person should know about the store). */
  readonly notice?: string;
  get(target: string): Promise<SavedSecret | undefined>;
  set(target: string, secret: SavedSecret): Promise<void>;
  /** True when something was removed. */
  delete(target: string): Promise<boolean>;
  list(): Promise<string[]>;
}

export class CredentialError extends Error {
  constructor(
    readonly code: 'wrong-passphrase' | 'bad-file' | 'unreadable' | 'no-passphrase',
    message: string,
    readonly where: string,
  ) {
    super(message);
    this.name = 'CredentialError';
  }
}

const clean = (s: SavedSecret): SavedSecret => ({
  ...(s.password !== undefined ? { password: s.password } : {}),
  ...(s.passphrase !== undefined ? { passphrase: s.passphrase } : {}),
});

/** Secrets in this process only, forgotten when it exits. */
export class MemoryCredentialStore implements CredentialStore {
  readonly persistent: boolean = false;
  protected entries = new Map<string, SavedSecret>();

  constructor(readonly notice?: string) {}

  async get(target: string): Promise<SavedSecret | undefined> {
    const s = this.entries.get(target);
    return s && { ...s };
  }

  async set(target: string, secret: SavedSecret): Promise<void> {
    this.entries.set(target, clean(secret));
  }

  async delete(target: string): Promise<boolean> {
    return this.entries.delete(target);
  }

  async list(): Promise<string[]> {
    return [...this.entries.keys()].sort();
  }
}
