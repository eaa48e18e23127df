// Pinned host keys: a JSON file ({host, port, type, fingerprint, firstSeen}) written atomically (temp file + rename),
// so a crash never leaves half a store. Not secret, but integrity-critical: a key here is trusted without asking.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

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

export class KnownHostsStore {
  constructor(readonly file: string) {}

  list(): KnownHost[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const parsed = JSON.parse(text) as { hosts?: KnownHost[] };
    return Array.isArray(parsed.hosts) ? parsed.hosts : [];
  }

  check(host: string, port: number, type: string, fingerprint: string): HostKeyVerdict {
    const entry = this.list().find((h) => h.host === host && h.port === port && h.type === type) ?? this.list().find((h) => h.host === host && h.port === port);
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

  forget(host: string, port: number): void {
    this.write(this.list().filter((h) => !(h.host === host && h.port === port)));
  }

  private write(hosts: KnownHost[]): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ hosts }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
