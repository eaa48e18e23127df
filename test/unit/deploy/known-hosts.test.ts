import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts.js';

const dir = mkdtempSync(join(tmpdir(), 'carpdeck-kh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('known-hosts store', () => {
  it('knows nothing when the file does not exist yet', () => {
    const store = new KnownHostsStore(join(dir, 'none', 'kh.json'));
    expect(store.list()).toEqual([]);
    expect(store.check('192.0.2.1', 22, 'ssh-ed25519', 'SHA256:a')).toEqual({ kind: 'unknown' });
  });

  it('pins a key and then recognises the same key, and flags a different one for that host and port as changed', () => {
    const file = join(dir, 'a', 'kh.json');
    const store = new KnownHostsStore(file);
    store.pin({ host: '192.0.2.1', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:one' });
    const reread = new KnownHostsStore(file);
    expect(reread.check('192.0.2.1', 22, 'ssh-ed25519', 'SHA256:one').kind).toBe('known');
    const changed = reread.check('192.0.2.1', 22, 'ssh-ed25519', 'SHA256:two');
    expect(changed.kind).toBe('changed');
    expect(changed.kind === 'changed' && changed.entry.fingerprint).toBe('SHA256:one');
    expect(reread.check('192.0.2.1', 22, 'ssh-rsa', 'SHA256:three').kind).toBe('changed');
    expect(reread.check('192.0.2.1', 2222, 'ssh-ed25519', 'SHA256:two').kind).toBe('unknown');
    expect(reread.check('192.0.2.2', 22, 'ssh-ed25519', 'SHA256:one').kind).toBe('unknown');
  });

  it('writes the file atomically as JSON with a first-seen time and leaves no temporary file', () => {
    const file = join(dir, 'b', 'kh.json');
    const store = new KnownHostsStore(file);
    store.pin({ host: 'fw1', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:x' });
    store.pin({ host: 'fw2', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:y' });
    store.pin({ host: 'fw1', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:z' });
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { hosts: { host: string; fingerprint: string; firstSeen: string }[] };
    expect(saved.hosts.map((h) => `${h.host}=${h.fingerprint}`).sort()).toEqual(['fw1=SHA256:z', 'fw2=SHA256:y']);
    expect(Number.isNaN(Date.parse(saved.hosts[0].firstSeen))).toBe(false);
    expect(readdirSync(join(dir, 'b'))).toEqual(['kh.json']);
    store.forget('fw1', 22);
    expect(new KnownHostsStore(file).list().map((h) => h.host)).toEqual(['fw2']);
  });
});
