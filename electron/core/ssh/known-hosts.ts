// Pinned host keys: a JSON file ({host, port, type, fingerprint, firstSeen}) written atomically (temp file + rename),
// so a crash never leaves half a store. Not secret, but integrity-critical: a key here is trusted without asking.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SshError } from './errors.js';
import { isSha256Fingerprint } from './fingerprint.js';

export interface KnownHost {
  host: string;
  port: number;
  type: string;
  fingerprint: string;
  firstSeen: string;
}

export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHost }
  | { kind: 'unknown' }
  | { kind: 'changed'; entry: KnownHost };

/** HOST or HOST:PORT as known hosts name an entry (IPv6 in brackets when a port follows). */
export const hostLabel = (host: string, port: number): string => {
  const h = host.includes(':') ? `[${host}]` : host;
  return port === 22 ? h : `${h}:${port}`;
};

const isKnownHost = (h: unknown): h is KnownHost => {
  const e = h as Partial<KnownHost> | null;
  return !!e && typeof e.host === 'string' && typeof e.port === 'number' && typeof e.type === 'string' && typeof e.fingerprint === 'string' && typeof e.firstSeen === 'string';
};

export class KnownHostsStore {
  constructor(readonly file: string) {}

  list(): KnownHost[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new SshError('known-hosts-unreadable', `cannot read the known hosts file ${this.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, this.file);
    }
    let parsed: { hosts?: unknown };
    try {
      parsed = JSON.parse(text) as { hosts?: unknown };
    } catch {
      throw new SshError('known-hosts-unreadable', `the known hosts file ${this.file} is not valid JSON: fix it or move it away (every host is then asked for again)`, this.file);
    }
    return Array.isArray(parsed?.hosts) ? parsed.hosts.filter(isKnownHost) : [];
  }

  /** The pinned key of a host and port, if any. */
  get(host: string, port: number): KnownHost | undefined {
    return this.list().find((h) => h.host === host && h.port === port);
  }

  check(host: string, port: number, type: string, fingerprint: string): HostKeyVerdict {
    const entry = this.list().find((h) => h.host === host && h.port === port && h.type === type) ?? this.get(host, port);
    if (!entry) return { kind: 'unknown' };
    return entry.fingerprint === fingerprint && entry.type === type ? { kind: 'known', entry } : { kind: 'changed', entry };
  }

  /** Pins a key; replaces any other key of that host and port (only call this after the user said so). */
  pin(entry: Omit<KnownHost, 'firstSeen'>): KnownHost {
    const pinned = { ...entry, firstSeen: new Date().toISOString() };
    const hosts = this.list().filter((h) => !(h.host === entry.host && h.port === entry.port));
    this.write([...hosts, pinned]);
    return pinned;
  }

  /** Drops the pin of a host and port (as ssh-keygen -R); the next connection asks again. Returns what was pinned. */
  forget(host: string, port: number): KnownHost | undefined {
    const all = this.list();
    const gone = all.find((h) => h.host === host && h.port === port);
    if (gone) this.write(all.filter((h) => h !== gone));
    return gone;
  }

  private write(hosts: KnownHost[]): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ hosts }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

export interface ReplaceRequest {
  host: string;
  port: number;
  /** The fingerprint the person saw pinned; the pin is only replaced while it still is this one. */
  expectedOld: string;
  /** The fingerprint the person checked on the firewall's console. */
  newFingerprint: string;
}

export interface ReplaceResult {
  previous: KnownHost;
  pinned: KnownHost;
}

/**
 * Replaces a pinned key after a legitimate change (reinstall, key rotation), safer than ssh-keygen -R: only while the
 * pin is still `expectedOld`, and only with the key the host offers right now when it has exactly `newFingerprint`
 * (`scan` reads it). Anything else is refused with an SshError and the pin stays.
 */
export async function replacePinnedKey(store: KnownHostsStore, req: ReplaceRequest, scan: () => Promise<{ type: string; fingerprint: string }>): Promise<ReplaceResult> {
  const where = hostLabel(req.host, req.port);
  for (const [name, fp] of [['the new fingerprint', req.newFingerprint], ['the old fingerprint', req.expectedOld]] as const) {
    if (!isSha256Fingerprint(fp)) throw new SshError('bad-fingerprint', `${name} "${fp}" is not a SHA256 fingerprint as ssh-keygen -lf prints it (SHA256: and 43 characters)`, where);
  }
  const pinnedNow = (): KnownHost => {
    const entry = store.get(req.host, req.port);
    if (!entry) throw new SshError('host-key-not-pinned', `no key of ${where} is pinned, so there is nothing to replace: connect to it and compare the key it offers (trust on first use)`, where);
    if (entry.fingerprint !== req.expectedOld) {
      throw new SshError('host-key-pin-differs', `the pinned key of ${where} is ${entry.fingerprint}, not ${req.expectedOld}: it was changed meanwhile. Nothing replaced; look at the known hosts again`, where);
    }
    return entry;
  };
  pinnedNow();
  const offered = await scan();
  if (offered.fingerprint !== req.newFingerprint) {
    throw new SshError(
      'host-key-offered-differs',
      `${where} offers ${offered.type} ${offered.fingerprint} right now, not the ${req.newFingerprint} you confirmed. Nothing replaced: the key changed again or something in between answers for the firewall`,
      where,
    );
  }
  // the scan took time: the pin must still be the one the person saw
  const previous = pinnedNow();
  const pinned = store.pin({ host: req.host, port: req.port, type: offered.type, fingerprint: offered.fingerprint });
  return { previous, pinned };
}
