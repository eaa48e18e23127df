// A node whose connection drops and whose host key changed before the reconnect: the node list carries the change
// as data (both fingerprints), so the node card can offer to trust the new key; replacing the pin clears it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterNode } from '../../../shared/api/cluster-contract.js';
import { ClusterService } from '../../../electron/core/cluster/service.js';
import { MemoryCredentialStore } from '../../../electron/core/credentials/store.js';
import type { ConnectOptions } from '../../../electron/core/ssh/connect.js';
import { SshError } from '../../../electron/core/ssh/errors.js';
import type { SshSession } from '../../../electron/core/ssh/session.js';
import { targetLabel } from '../../../electron/core/ssh/target.js';

const OLD = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
const NEW = 'SHA256:q1Jx3mVJ3Gm2cq9w6pAsJtu0u3yBv0M0uS1u2W0S8aQ';

let offered = OLD;
const sessions: (() => void)[] = [];

// behaves like connectSsh's host key check over a node whose key is `offered`
async function fakeConnect(opts: ConnectOptions): Promise<SshSession> {
  const { host, port } = opts.target;
  const label = targetLabel(opts.target);
  const verdict = opts.knownHosts.check(host, port, 'ssh-ed25519', offered);
  if (verdict.kind === 'changed') {
    const e = verdict.entry;
    throw new SshError('host-key-changed', `WARNING: the host key of ${label} has CHANGED.`, label, {
      target: label,
      host,
      port,
      keyType: 'ssh-ed25519',
      pinnedKeyType: e.type,
      pinnedFingerprint: e.fingerprint,
      offeredFingerprint: offered,
      pinnedSince: e.firstSeen,
    });
  }
  if (verdict.kind === 'unknown') {
    if (!(await opts.prompter.confirmHostKey({ host, port, type: 'ssh-ed25519', fingerprint: offered }))) throw new SshError('host-key-unknown', 'unknown', label);
    opts.knownHosts.pin({ host, port, type: 'ssh-ed25519', fingerprint: offered });
  }
  let closeIt!: () => void;
  const closed = new Promise<void>((r) => (closeIt = r));
  sessions.push(closeIt);
  return {
    target: opts.target,
    label,
    closed,
    close: () => closeIt(),
    exec: async () => ({ code: 1, stdout: '', stderr: 'cat: /etc/carpd/carpd.json: No such file or directory' }),
    lines: async () => ({ stop: () => undefined, done: closed.then(() => ({ code: null })) }),
  } as unknown as SshSession;
}

let dir: string;
let service: ClusterService;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'carpdeck-khre-'));
  offered = OLD;
  service = new ClusterService({
    credentials: new MemoryCredentialStore(),
    knownHostsFile: join(dir, 'kh.json'),
    connect: fakeConnect,
    scanHostKey: async () => ({ type: 'ssh-ed25519', fingerprint: offered }),
    backoff: () => 5,
    pollMs: 60_000,
  });
});
afterEach(() => {
  service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function nextNodes(stream: AsyncIterableIterator<{ nodes: ClusterNode[] }>, until: (n: ClusterNode | undefined) => boolean): Promise<ClusterNode | undefined> {
  for (;;) {
    const n = (await stream.next()).value.nodes[0] as ClusterNode | undefined;
    if (until(n)) return n;
  }
}

describe('a changed host key met while reconnecting', () => {
  it('appears in the node list with both fingerprints, and is gone once the pin was replaced', async () => {
    for await (const u of service.connect({ target: 'root@fw1', password: 'pw' })) if (u.kind === 'prompt') service.answer(u.prompt.id, { accept: true });
    const stream = service.nodes();
    await nextNodes(stream, (n) => n?.connection.state === 'ready');
    offered = NEW;
    sessions[0]();
    const failed = await nextNodes(stream, (n) => n?.connection.state === 'failed');
    expect(failed?.connection.error).toMatchObject({
      code: 'host-key-changed',
      hostKey: { target: 'root@fw1', host: 'fw1', port: 22, keyType: 'ssh-ed25519', pinnedFingerprint: OLD, offeredFingerprint: NEW },
    });
    expect(await service.hostKeyReplace({ target: 'root@fw1', expectedOld: OLD, newFingerprint: NEW })).toMatchObject({ ok: true });
    const after = await nextNodes(stream, (n) => n?.connection.error?.hostKey === undefined);
    expect(after?.connection).toMatchObject({ state: 'failed', error: { code: 'host-key-changed' } });
    await stream.return?.();
  });
});
