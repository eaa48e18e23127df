// The connect procedure's prompt relay and saved credentials, over a stand-in for the SSH layer that behaves like
// connectSsh: host key checked against the pinned store (unknown -> ask, changed -> refused without asking), then
// the password (given, or asked through the prompter). The real SSH layer against sshd is in test/lab/cluster.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouterClient } from '@orpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectUpdate } from '../../../shared/api/cluster-contract.js';
import { EventHub } from '../../../electron/core/api/events.js';
import { createRouter } from '../../../electron/core/api/router.js';
import { ClusterService } from '../../../electron/core/cluster/service.js';
import { MemoryCredentialStore } from '../../../electron/core/credentials/store.js';
import type { ConnectOptions } from '../../../electron/core/ssh/connect.js';
import { SshError } from '../../../electron/core/ssh/errors.js';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts.js';
import type { SshSession } from '../../../electron/core/ssh/session.js';
import { targetLabel } from '../../../electron/core/ssh/target.js';

const FP = 'SHA256:q1Jx3mVJ3Gm2cq9w6pAsJtu0u3yBv0M0uS1u2W0S8aQ';
const PASSWORD = 'right-password';

function fakeSession(opts: ConnectOptions): SshSession {
  let closeIt!: () => void;
  const closed = new Promise<void>((r) => (closeIt = r));
  return {
    target: opts.target,
    label: targetLabel(opts.target),
    closed,
    close: () => closeIt(),
    exec: async () => ({ code: 1, stdout: '', stderr: 'cat: /etc/carpd/carpd.json: No such file or directory' }),
    lines: async () => ({ stop: () => undefined, done: closed.then(() => ({ code: null })) }),
  } as unknown as SshSession;
}

let logins: ConnectOptions[] = [];
async function fakeConnect(opts: ConnectOptions): Promise<SshSession> {
  logins.push(opts);
  const { host, port } = opts.target;
  const label = targetLabel(opts.target);
  const verdict = opts.knownHosts.check(host, port, 'ssh-ed25519', FP);
  if (verdict.kind === 'changed') throw new SshError('host-key-changed', `WARNING: the host key of ${label} has CHANGED. Refused.`, label);
  if (verdict.kind === 'unknown') {
    if (!(await opts.prompter.confirmHostKey({ host, port, type: 'ssh-ed25519', fingerprint: FP }))) throw new SshError('host-key-unknown', `the host key of ${label} is not known yet`, label);
    opts.knownHosts.pin({ host, port, type: 'ssh-ed25519', fingerprint: FP });
  }
  let password = opts.auth.password;
  if (password !== PASSWORD && opts.prompter.password) password = await opts.prompter.password(label);
  if (password !== PASSWORD) throw new SshError('auth-failed', `${label} refused the login: wrong password or key`, label);
  return fakeSession(opts);
}

let dir: string;
let knownHosts: string;
let credentials: MemoryCredentialStore;
let service: ClusterService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'carpdeck-cluster-'));
  knownHosts = join(dir, 'known-hosts.json');
  credentials = new MemoryCredentialStore();
  logins = [];
  service = new ClusterService({ credentials, knownHostsFile: knownHosts, connect: fakeConnect, pollMs: 50 });
});
afterEach(() => {
  service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a connect stream, answering each prompt with `answer(prompt)`; returns every update. */
async function connect(input: Parameters<ClusterService['connect']>[0], answer: (u: Extract<ConnectUpdate, { kind: 'prompt' }>['prompt']) => { accept?: boolean; answers?: string[] }) {
  const updates: ConnectUpdate[] = [];
  for await (const u of service.connect(input)) {
    updates.push(u);
    if (u.kind === 'prompt') expect(service.answer(u.prompt.id, answer(u.prompt))).toEqual({ ok: true });
  }
  return updates;
}

describe('cluster connect: prompts relayed to the UI', () => {
  it('an unknown host key is a prompt with the OpenSSH fingerprint; accepting pins it and connects', async () => {
    const updates = await connect({ target: 'root@192.0.2.10', password: PASSWORD }, () => ({ accept: true }));
    expect(updates).toEqual([
      { kind: 'prompt', prompt: { id: expect.any(String), type: 'host-key', host: '192.0.2.10', port: 22, keyType: 'ssh-ed25519', fingerprint: FP } },
      { kind: 'connected', node: 'root@192.0.2.10', fingerprint: FP },
    ]);
    expect(new KnownHostsStore(knownHosts).list()).toMatchObject([{ host: '192.0.2.10', port: 22, fingerprint: FP }]);
    expect(service.session('root@192.0.2.10').label).toBe('root@192.0.2.10');
  });

  it('refusing the host key fails the connect and pins nothing', async () => {
    const updates = await connect({ target: 'root@192.0.2.10', password: PASSWORD }, () => ({ accept: false }));
    expect(updates.at(-1)).toMatchObject({ kind: 'failed', error: { code: 'host-key-unknown' } });
    expect(new KnownHostsStore(knownHosts).list()).toEqual([]);
  });

  it('a changed host key is refused with a clear error and never becomes a prompt', async () => {
    new KnownHostsStore(knownHosts).pin({ host: '192.0.2.10', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:somethingElse' });
    const updates = await connect({ target: 'root@192.0.2.10', password: PASSWORD }, () => {
      throw new Error('must not ask');
    });
    expect(updates).toEqual([{ kind: 'failed', error: { code: 'host-key-changed', message: expect.stringContaining('CHANGED'), fix: expect.stringContaining('known-hosts') } }]);
  });

  it('a wrong password given with the request fails with a clear error', async () => {
    const updates = await connect({ target: 'root@192.0.2.10:2222', password: 'nope' }, () => ({ accept: true }));
    expect(updates.at(-1)).toMatchObject({ kind: 'failed', error: { code: 'auth-failed', message: expect.stringMatching(/root@192\.0\.2\.10:2222 refused the login/) } });
  });

  it('asks for the password, remembers it when told to, and tries the saved one first next time', async () => {
    const first = await connect({ target: 'root@fw1', remember: true }, (p) => (p.type === 'host-key' ? { accept: true } : { answers: [PASSWORD] }));
    expect(first.map((u) => (u.kind === 'prompt' ? u.prompt.type : u.kind))).toEqual(['host-key', 'password', 'connected']);
    expect(await credentials.get('root@fw1')).toEqual({ password: PASSWORD });
    expect((await service.credentialList()).targets).toEqual(['root@fw1']);

    const second = await connect({ target: 'root@fw1' }, () => {
      throw new Error('must not ask');
    });
    expect(second).toEqual([{ kind: 'connected', node: 'root@fw1', fingerprint: FP }]);
    expect(logins.at(-1)?.auth.password).toBe(PASSWORD);
  });

  it('a saved password the node refuses is dropped and the person is asked', async () => {
    new KnownHostsStore(knownHosts).pin({ host: 'fw1', port: 22, type: 'ssh-ed25519', fingerprint: FP });
    await credentials.set('root@fw1', { password: 'stale' });
    const updates = await connect({ target: 'root@fw1' }, () => ({ answers: [PASSWORD] }));
    expect(updates.map((u) => (u.kind === 'prompt' ? u.prompt.type : u.kind))).toEqual(['password', 'connected']);
    expect(await credentials.get('root@fw1')).toBeUndefined();
  });

  it('a cancelled password prompt fails the login; an unknown prompt id is not accepted', async () => {
    new KnownHostsStore(knownHosts).pin({ host: 'fw1', port: 22, type: 'ssh-ed25519', fingerprint: FP });
    const updates = await connect({ target: 'root@fw1' }, () => ({}));
    expect(updates.at(-1)).toMatchObject({ kind: 'failed', error: { code: 'auth-failed' } });
    expect(service.answer('no-such-prompt', { accept: true })).toEqual({ ok: false });
  });

  it('session() of a node that is not connected throws a clear error', () => {
    expect(() => service.session('root@nowhere')).toThrow(/root@nowhere is not connected; connect to it first/);
  });

  it('a bad target is a failed update naming the expected form', async () => {
    const updates = await connect({ target: 'root@host:99999' }, () => ({}));
    expect(updates).toEqual([{ kind: 'failed', error: { code: 'bad-target', message: expect.stringContaining('USER@HOST'), fix: expect.any(String) } }]);
  });

  it('the nodes stream lists a connected node with its connection state and carpd error', async () => {
    await connect({ target: 'root@fw1', password: PASSWORD }, () => ({ accept: true }));
    const stream = service.nodes();
    let nodes = (await stream.next()).value.nodes;
    while (!nodes[0]?.carpd) nodes = (await stream.next()).value.nodes;
    expect(nodes[0]).toMatchObject({ id: 'root@fw1', fingerprint: FP, connection: { state: 'ready' }, credentialSaved: false, carpd: { running: false, error: { code: 'not-installed' } } });
    await stream.return?.();
  });
});

describe('cluster procedures over the router', () => {
  it('connect streams the host-key prompt, answer accepts it, credentials.list reports the store', async () => {
    const router = createRouter({ platform: { mode: 'browser', version: '0', os: 'linux', secrets: credentials }, events: new EventHub(), cluster: service });
    const client = createRouterClient(router);
    const updates: ConnectUpdate[] = [];
    for await (const u of await client.cluster.connect({ target: 'root@fw9', password: PASSWORD })) {
      updates.push(u);
      if (u.kind === 'prompt') expect(await client.cluster.answer({ id: u.prompt.id, accept: true })).toEqual({ ok: true });
    }
    expect(updates.map((u) => u.kind)).toEqual(['prompt', 'connected']);
    expect(await client.cluster.credentials.list()).toEqual({ persistent: false, targets: [] });
    expect(await client.cluster.disconnect({ node: 'root@fw9' })).toEqual({ ok: true });
    expect(() => service.session('root@fw9')).toThrow(/not connected/);
  });
});
