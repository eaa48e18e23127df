// The SSH layer and the cluster API against an ssh2 server on loopback: a changed key is refused with the target, key
// type and both fingerprints as data; cluster.hostKeys lists, replaces (guarded by what the server offers now) and
// forgets pins, answering with values that carry a code, a message and the fix. The same against sshd: test/lab/hostkeys.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouterClient } from '@orpc/server';
import { Server, utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectUpdate } from '../../../shared/api/cluster-contract.js';
import { EventHub } from '../../../electron/core/api/events.js';
import { createRouter } from '../../../electron/core/api/router.js';
import { ClusterService } from '../../../electron/core/cluster/service.js';
import { MemoryCredentialStore } from '../../../electron/core/credentials/store.js';
import { connectSsh, scanHostKey } from '../../../electron/core/ssh/connect.js';
import { SshError } from '../../../electron/core/ssh/errors.js';
import { fingerprintOf } from '../../../electron/core/ssh/fingerprint.js';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts.js';

const PIN_ELSEWHERE = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

let server: Server;
let port: number;
let fingerprint: string;
let dir: string;

beforeAll(async () => {
  const key = utils.generateKeyPairSync('ed25519');
  const parsed = utils.parseKey(key.public);
  fingerprint = fingerprintOf((Array.isArray(parsed) ? parsed[0] : (parsed as Exclude<typeof parsed, Error | unknown[]>)).getPublicSSH());
  server = new Server({ hostKeys: [key.private] }, (client) => {
    client.on('authentication', (ctx) => (ctx.method === 'password' && ctx.password === 'pw' ? ctx.accept() : ctx.reject(['password'])));
    client.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'carpdeck-khapi-'));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const refuseAll = { confirmHostKey: async () => false };

describe('host key checks against a real SSH server', () => {
  it('a changed key is refused with target, key type, the pinned and the offered fingerprint as fields, the message kept', async () => {
    const knownHosts = new KnownHostsStore(join(dir, 'changed.json'));
    const pinned = knownHosts.pin({ host: '127.0.0.1', port, type: 'ssh-ed25519', fingerprint: PIN_ELSEWHERE });
    const e = await connectSsh({ target: { user: 'root', host: '127.0.0.1', port }, auth: { password: 'pw' }, knownHosts, prompter: refuseAll }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(SshError);
    const err = e as SshError;
    expect(err.code).toBe('host-key-changed');
    expect(err.hostKey).toEqual({
      target: `root@127.0.0.1:${port}`,
      host: '127.0.0.1',
      port,
      keyType: 'ssh-ed25519',
      pinnedKeyType: 'ssh-ed25519',
      pinnedFingerprint: PIN_ELSEWHERE,
      offeredFingerprint: fingerprint,
      pinnedSince: pinned.firstSeen,
    });
    expect(err.message).toContain(`WARNING: the host key of root@127.0.0.1:${port} has CHANGED. Pinned: ssh-ed25519 ${PIN_ELSEWHERE}`);
  });

  it('scanHostKey reads the offered key without logging in', async () => {
    expect(await scanHostKey({ user: 'nobody-with-no-password', host: '127.0.0.1', port })).toEqual({ type: 'ssh-ed25519', fingerprint });
  });
});

describe('cluster.hostKeys over the router', () => {
  it('connect fails with the structured host key change; replace with a wrong fingerprint is refused; the right one pins it and connect works', async () => {
    const file = join(dir, 'router.json');
    new KnownHostsStore(file).pin({ host: '127.0.0.1', port, type: 'ssh-ed25519', fingerprint: PIN_ELSEWHERE });
    const credentials = new MemoryCredentialStore();
    const service = new ClusterService({ credentials, knownHostsFile: file, pollMs: 60_000 });
    const client = createRouterClient(createRouter({ platform: { mode: 'browser', version: '0', os: 'linux', secrets: credentials }, events: new EventHub(), cluster: service }));
    const connect = async () => {
      const updates: ConnectUpdate[] = [];
      for await (const u of await client.cluster.connect({ target: `root@127.0.0.1:${port}`, password: 'pw' })) updates.push(u);
      return updates;
    };
    try {
      const refused = await connect();
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({
        kind: 'failed',
        error: { code: 'host-key-changed', fix: expect.stringContaining('ssh-keygen -lf'), hostKey: { target: `root@127.0.0.1:${port}`, keyType: 'ssh-ed25519', pinnedFingerprint: PIN_ELSEWHERE, offeredFingerprint: fingerprint } },
      });

      const wrong = await client.cluster.hostKeys.replace({ target: `127.0.0.1:${port}`, expectedOld: PIN_ELSEWHERE, newFingerprint: 'SHA256:q1Jx3mVJ3Gm2cq9w6pAsJtu0u3yBv0M0uS1u2W0S8aQ' });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'host-key-offered-differs', message: expect.stringContaining(`offers ssh-ed25519 ${fingerprint} right now`), fix: expect.any(String) } });
      const staleOld = await client.cluster.hostKeys.replace({ target: `127.0.0.1:${port}`, expectedOld: fingerprint, newFingerprint: fingerprint });
      expect(staleOld).toMatchObject({ ok: false, error: { code: 'host-key-pin-differs' } });
      expect(await client.cluster.hostKeys.list()).toMatchObject({ ok: true, file, hosts: [{ target: `127.0.0.1:${port}`, keyType: 'ssh-ed25519', fingerprint: PIN_ELSEWHERE, pinnedAt: expect.any(String) }] });

      const right = await client.cluster.hostKeys.replace({ target: `root@127.0.0.1:${port}`, expectedOld: PIN_ELSEWHERE, newFingerprint: fingerprint });
      expect(right).toMatchObject({ ok: true, previous: { fingerprint: PIN_ELSEWHERE }, pinned: { target: `127.0.0.1:${port}`, port, keyType: 'ssh-ed25519', fingerprint } });
      expect(await connect()).toEqual([{ kind: 'connected', node: `root@127.0.0.1:${port}`, fingerprint }]);

      expect(await client.cluster.hostKeys.forget({ target: `127.0.0.1:${port}` })).toMatchObject({ ok: true, forgotten: { fingerprint } });
      expect(await client.cluster.hostKeys.list()).toMatchObject({ ok: true, hosts: [] });
      expect(await client.cluster.hostKeys.forget({ target: 'not a host' })).toMatchObject({ ok: false, error: { code: 'bad-target', fix: expect.any(String) } });
    } finally {
      service.dispose();
    }
  });
});
