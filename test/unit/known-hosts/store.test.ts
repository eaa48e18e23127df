// The pinned host keys: list, forget, and the guarded replace (only while the pin is the one the person saw, and only
// with the key the host offers right now when it has exactly the fingerprint confirmed on the console).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SshError } from '../../../electron/core/ssh/errors.js';
import { hostLabel, KnownHostsStore, replacePinnedKey } from '../../../electron/core/ssh/known-hosts.js';

const OLD = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
const NEW = 'SHA256:q1Jx3mVJ3Gm2cq9w6pAsJtu0u3yBv0M0uS1u2W0S8aQ';
const OTHER = 'SHA256:ZZZZztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

let dir: string;
let store: KnownHostsStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'carpdeck-khs-'));
  store = new KnownHostsStore(join(dir, 'kh.json'));
  store.pin({ host: '10.0.0.1', port: 22, type: 'ssh-ed25519', fingerprint: OLD });
  store.pin({ host: '2001:db8::2', port: 2222, type: 'ecdsa-sha2-nistp256', fingerprint: OTHER });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(p: Promise<unknown>): Promise<SshError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SshError);
  return e as SshError;
}

describe('known hosts: list and forget', () => {
  it('lists every pinned entry with host, port, key type, fingerprint and when it was pinned', () => {
    const hosts = store.list();
    expect(hosts.map((h) => [hostLabel(h.host, h.port), h.type, h.fingerprint])).toEqual([
      ['10.0.0.1', 'ssh-ed25519', OLD],
      ['[2001:db8::2]:2222', 'ecdsa-sha2-nistp256', OTHER],
    ]);
    expect(hosts.every((h) => !Number.isNaN(Date.parse(h.firstSeen)))).toBe(true);
    expect(store.get('2001:db8::2', 2222)?.fingerprint).toBe(OTHER);
    expect(store.get('2001:db8::2', 22)).toBeUndefined();
  });

  it('forgets exactly one host and port and returns what was pinned; forgetting it again removes nothing', () => {
    expect(store.forget('10.0.0.1', 22)).toMatchObject({ host: '10.0.0.1', fingerprint: OLD });
    expect(new KnownHostsStore(store.file).list().map((h) => h.host)).toEqual(['2001:db8::2']);
    expect(store.check('10.0.0.1', 22, 'ssh-ed25519', NEW)).toEqual({ kind: 'unknown' });
    expect(store.forget('10.0.0.1', 22)).toBeUndefined();
  });

  it('says which file is broken instead of crashing on a store that is not JSON', () => {
    writeFileSync(store.file, '{"hosts": [');
    expect(() => store.list()).toThrow(SshError);
    expect(() => store.list()).toThrow(`the known hosts file ${store.file} is not valid JSON`);
  });
});

describe('known hosts: replacing a changed key', () => {
  it('pins the offered key when the pin is the expected old one and the host offers the confirmed fingerprint', async () => {
    let scans = 0;
    const r = await replacePinnedKey(store, { host: '10.0.0.1', port: 22, expectedOld: OLD, newFingerprint: NEW }, async () => {
      scans++;
      return { type: 'ssh-ed25519', fingerprint: NEW };
    });
    expect(scans).toBe(1);
    expect(r.previous.fingerprint).toBe(OLD);
    expect(r.pinned).toMatchObject({ host: '10.0.0.1', port: 22, type: 'ssh-ed25519', fingerprint: NEW });
    const reread = new KnownHostsStore(store.file);
    expect(reread.check('10.0.0.1', 22, 'ssh-ed25519', NEW).kind).toBe('known');
    expect(reread.check('10.0.0.1', 22, 'ssh-ed25519', OLD).kind).toBe('changed');
    expect(reread.get('2001:db8::2', 2222)?.fingerprint).toBe(OTHER);
  });

  it('refuses when the pinned fingerprint is not the expected old one, without contacting the host', async () => {
    let scans = 0;
    const e = await refusal(
      replacePinnedKey(store, { host: '10.0.0.1', port: 22, expectedOld: OTHER, newFingerprint: NEW }, async () => {
        scans++;
        return { type: 'ssh-ed25519', fingerprint: NEW };
      }),
    );
    expect(e.code).toBe('host-key-pin-differs');
    expect(e.message).toContain(`the pinned key of 10.0.0.1 is ${OLD}, not ${OTHER}`);
    expect(scans).toBe(0);
    expect(store.get('10.0.0.1', 22)?.fingerprint).toBe(OLD);
  });

  it('refuses when the host offers another key than the confirmed fingerprint, and keeps the old pin', async () => {
    const e = await refusal(replacePinnedKey(store, { host: '10.0.0.1', port: 22, expectedOld: OLD, newFingerprint: NEW }, async () => ({ type: 'ssh-ed25519', fingerprint: OTHER })));
    expect(e.code).toBe('host-key-offered-differs');
    expect(e.message).toContain(`10.0.0.1 offers ssh-ed25519 ${OTHER} right now, not the ${NEW} you confirmed`);
    expect(store.get('10.0.0.1', 22)?.fingerprint).toBe(OLD);
  });

  it('refuses when the pin changed while the host was being asked for its key', async () => {
    const e = await refusal(
      replacePinnedKey(store, { host: '10.0.0.1', port: 22, expectedOld: OLD, newFingerprint: NEW }, async () => {
        store.pin({ host: '10.0.0.1', port: 22, type: 'ssh-ed25519', fingerprint: OTHER });
        return { type: 'ssh-ed25519', fingerprint: NEW };
      }),
    );
    expect(e.code).toBe('host-key-pin-differs');
    expect(store.get('10.0.0.1', 22)?.fingerprint).toBe(OTHER);
  });

  it('refuses a host with no pin (that is trust on first use, not a replace) and a fingerprint not in SHA256: form', async () => {
    const scan = async () => ({ type: 'ssh-ed25519', fingerprint: NEW });
    expect((await refusal(replacePinnedKey(store, { host: '10.0.0.9', port: 22, expectedOld: OLD, newFingerprint: NEW }, scan))).code).toBe('host-key-not-pinned');
    const bad = await refusal(replacePinnedKey(store, { host: '10.0.0.1', port: 22, expectedOld: OLD, newFingerprint: 'q1Jx3mVJ' }, scan));
    expect(bad.code).toBe('bad-fingerprint');
    expect(bad.message).toContain('the new fingerprint "q1Jx3mVJ" is not a SHA256 fingerprint');
    expect(store.get('10.0.0.1', 22)?.fingerprint).toBe(OLD);
    expect(store.get('10.0.0.9', 22)).toBeUndefined();
  });
});
