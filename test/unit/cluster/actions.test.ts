// Actions end with what the nodes then report: members here are stand-ins whose status the test changes the way a
// poll would, and whose session answers carpctl like carpd does.
import { describe, expect, it, vi } from 'vitest';
import type { Progress } from '../../../shared/api/cluster-contract.js';
import type { CarpdStatus } from '../../../daemon/control/protocol.js';
import { runAction, type ActionContext } from '../../../electron/core/cluster/actions.js';
import type { ClusterMember } from '../../../electron/core/cluster/member.js';
import type { SshSession } from '../../../electron/core/ssh/session.js';
import { status, vhid } from './fixtures.js';

interface Fake {
  id: string;
  status: CarpdStatus | undefined;
  commands: string[][];
  /** What carpd does when carpctl asks for something (argv after the socket). */
  onCarpctl: (args: string[]) => { code: number; stdout: string; stderr?: string };
}

function harness(fakes: Fake[]) {
  const waiters = new Set<() => void>();
  const notes: string[] = [];
  const member = (f: Fake) =>
    ({
      id: f.id,
      get status() {
        return f.status;
      },
      pollNow: () => undefined,
      session: () =>
        ({
          label: f.id,
          exec: async (argv: string[]) => {
            f.commands.push(argv);
            if (argv[0] === 'cat') return { code: 0, stdout: '{"controlSocket":"/run/carpd.sock"}', stderr: '' };
            const i = argv.indexOf('--socket');
            const r = f.onCarpctl(argv.slice(i + 2));
            return { stderr: '', ...r };
          },
        }) as unknown as SshSession,
    }) as unknown as ClusterMember;
  const members = fakes.map(member);
  const ctx: ActionContext = {
    member: (id) => {
      const m = members.find((x) => x.id === id);
      if (!m) throw new Error(`${id} is not connected`);
      return m;
    },
    members: () => members,
    note: (_node, cause) => notes.push(cause),
    now: Date.now,
    waitFor: (check, timeoutMs) =>
      new Promise((resolve) => {
        const first = check();
        if (first !== undefined) return resolve(first);
        const recheck = () => {
          const v = check();
          if (v !== undefined) {
            waiters.delete(recheck);
            clearTimeout(t);
            resolve(v);
          }
        };
        const t = setTimeout(() => (waiters.delete(recheck), resolve(undefined)), timeoutMs);
        waiters.add(recheck);
      }),
  };
  /** A poll brought new status: waiting actions re-check. */
  const report = (f: Fake, s: CarpdStatus) => {
    f.status = s;
    for (const w of [...waiters]) w();
  };
  return { ctx, report, notes };
}

async function run(ctx: ActionContext, action: Parameters<typeof runAction>[1], node?: string): Promise<Progress[]> {
  const out: Progress[] = [];
  await runAction(ctx, action, node, (p) => out.push(p));
  return out;
}

const ok = (message: string) => ({ code: 0, stdout: JSON.stringify({ ok: true, message }) });

describe('control panel actions', () => {
  it('maintenance-on that no peer takes over says the node keeps its VIPs as MASTER and nothing went down', async () => {
    vi.useFakeTimers();
    try {
      const fw1: Fake = { id: 'root@fw1', status: status('fw1', [vhid({ state: 'MASTER' })]), commands: [], onCarpctl: () => ok('') };
      const fw2: Fake = { id: 'root@fw2', status: status('fw2', [vhid({ state: 'INIT', advskewSent: 100 })]), commands: [], onCarpctl: () => ok('') };
      const h = harness([fw1, fw2]);
      fw1.onCarpctl = () => {
        setTimeout(() => h.report(fw1, status('fw1', [vhid({ state: 'MASTER', advskewSent: 240 })], { maintenance: true, demotion: 240 })), 5);
        return ok('maintenance mode on');
      };
      const result = run(h.ctx, 'maintenance-on');
      await vi.advanceTimersByTimeAsync(16_000);
      const done = (await result).at(-1)?.done;
      expect(done).toMatchObject({ ok: false, error: { code: 'no-takeover', message: expect.stringMatching(/fw1 is in maintenance but still MASTER of vhid 1: .*keeps the VIPs and nothing went down/) } });
      expect(done?.error?.fix).toMatch(/maintenance off" cancels/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('maintenance-on without a node picks the master and is done when the peer reports MASTER', async () => {
    const fw1: Fake = { id: 'root@fw1', status: status('fw1', [vhid({ state: 'MASTER' }), vhid({ vhid: 2, state: 'MASTER' })]), commands: [], onCarpctl: () => ok('maintenance mode on') };
    const fw2: Fake = { id: 'root@fw2', status: status('fw2', [vhid({ advskewSent: 100 }), vhid({ vhid: 2, advskewSent: 100 })]), commands: [], onCarpctl: () => ok('') };
    const h = harness([fw1, fw2]);
    fw1.onCarpctl = (args) => {
      setTimeout(() => {
        h.report(fw1, status('fw1', [vhid({ advskewSent: 240 }), vhid({ vhid: 2, advskewSent: 240 })], { maintenance: true, demotion: 240 }));
        h.report(fw2, status('fw2', [vhid({ state: 'MASTER', advskewSent: 100 }), vhid({ vhid: 2, state: 'MASTER', advskewSent: 100 })]));
      }, 5);
      return ok(`maintenance mode ${args[1]}`);
    };
    const progress = await run(h.ctx, 'maintenance-on');
    expect(fw1.commands.at(-1)?.slice(-3)).toEqual(['maintenance', 'on', '--json']);
    expect(progress.map((p) => [p.step, p.status])).toEqual([
      ['request', 'running'],
      ['requested', 'running'],
      ['wait', 'running'],
      ['result', 'done'],
    ]);
    expect(progress.at(-1)?.done).toMatchObject({ ok: true, message: expect.stringMatching(/^VIPs moved in [\d.]+ s: fw2 is MASTER of vhid 1, 2; fw1 stays in maintenance/) });
    expect(h.notes[0]).toMatch(/^maintenance-on: VIPs moved/);
  });

  it('failover from a node that is master of nothing is refused with a clear error', async () => {
    const fw2: Fake = { id: 'root@fw2', status: status('fw2', [vhid()]), commands: [], onCarpctl: () => ok('') };
    const progress = await run(harness([fw2]).ctx, 'failover', 'root@fw2');
    expect(progress).toEqual([
      {
        node: 'root@fw2',
        step: 'result',
        message: 'root@fw2 is not master of any vhid: nothing to fail over from it',
        status: 'failed',
        done: { ok: false, message: 'root@fw2 is not master of any vhid: nothing to fail over from it', error: { code: 'not-master', message: expect.any(String), fix: 'pick the node that is MASTER' } },
      },
    ]);
    expect(fw2.commands).toEqual([]);
  });

  it('resync-states asks every node with state sync and waits for a new bulk sync time', async () => {
    const sync = (lastBulkSync: string | null) =>
      ({ interface: 'sync', peer: '10.0.3.2', transport: 'unicast', localAddress: null, conntrackd: { running: true, pid: 1, restarts: 0, lastExit: null }, ready: true, readyReason: 'ok', peerReachable: true, lastHeardSecondsAgo: 0, states: { kernel: 12, internalCache: 12, externalCache: 12 }, lastBulkSync, lastCommit: null, messages: null, stall: null, errors: [] }) as CarpdStatus['stateSync'];
    const fw1: Fake = { id: 'root@fw1', status: status('fw1', [vhid()], { stateSync: sync('2026-01-01T00:00:00Z') }), commands: [], onCarpctl: () => ok('') };
    const h = harness([fw1]);
    fw1.onCarpctl = () => {
      setTimeout(() => h.report(fw1, status('fw1', [vhid()], { stateSync: sync('2026-01-01T00:05:00Z') })), 5);
      return ok('full resync requested');
    };
    const progress = await run(h.ctx, 'resync-states');
    expect(fw1.commands.at(-1)?.slice(-3)).toEqual(['sync-states', '--resync', '--json']);
    expect(progress.at(-1)?.done).toEqual({ ok: true, message: 'fw1: bulk sync done at 2026-01-01T00:05:00Z (12 states)' });
  });

  it('push-config reports a failed push as the node reports it', async () => {
    const cfg = (time: string | null, okPush: boolean) =>
      ({ role: 'source', fingerprint: 'f', peer: { address: '10.0.3.2', reachable: false, lastContact: null, error: 'timeout' }, sections: [{ name: 'nftables', checksum: 'a', peerChecksum: null, state: 'unknown', lastSync: null, lastSyncAgeSeconds: null }], lastPush: time ? { time, ok: okPush, error: okPush ? null : 'peer unreachable', changed: [] } : null, pending: true }) as CarpdStatus['configSync'];
    const fw1: Fake = { id: 'root@fw1', status: status('fw1', [vhid()], { configSync: cfg(null, true) }), commands: [], onCarpctl: () => ok('') };
    const h = harness([fw1]);
    fw1.onCarpctl = () => {
      setTimeout(() => h.report(fw1, status('fw1', [vhid()], { configSync: cfg('2026-01-01T00:00:01Z', false) })), 5);
      return ok('push started');
    };
    const progress = await run(h.ctx, 'push-config');
    expect(progress.at(-1)).toMatchObject({ status: 'failed', done: { ok: false, error: { code: 'push-failed', message: 'the push from fw1 failed: peer unreachable' } } });
  });

  it('a carpctl failure on the node ends the action with its message', async () => {
    const fw1: Fake = { id: 'root@fw1', status: status('fw1', [vhid({ state: 'MASTER' })]), commands: [], onCarpctl: () => ({ code: 3, stdout: '', stderr: 'carpctl: cannot reach /run/carpd.sock' }) };
    const progress = await run(harness([fw1]).ctx, 'maintenance-on', 'root@fw1');
    expect(progress.at(-1)).toMatchObject({ status: 'failed', done: { ok: false, error: { code: 'not-running' } } });
  });
});
