import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStateSync, type StateSync, type StateSyncEvent } from '../../../daemon/statesync/sync.js';
import { FakeHost } from './fakehost.js';
import { syncConfig } from './fixtures.js';

let dir: string;
let host: FakeHost;
let sync: StateSync;
let events: StateSyncEvent[];

/** Advances the fake clock and the timers together, one poll (1 s) at a time. */
async function seconds(n: number) {
  for (let i = 0; i < n; i++) {
    host.clock += 1000;
    await vi.advanceTimersByTimeAsync(1000);
  }
}

async function started(input: Parameters<typeof syncConfig>[0] = {}) {
  sync = createStateSync(syncConfig(input), { dir, host, backoffMs: [500, 2000] });
  events = [];
  sync.onEvent((e) => events.push(e));
  expect(await sync.start()).toBeNull();
}

describe('state sync driver', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    dir = mkdtempSync(join(tmpdir(), 'statesync-drv-'));
    host = new FakeHost();
  });
  afterEach(async () => {
    await sync?.stop();
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes conntrackd.conf from the sync interface address and starts conntrackd on it', async () => {
    await started();
    const text = readFileSync(join(dir, 'conntrackd.conf'), 'utf8');
    expect(text).toContain('IPv4_address 10.0.3.2\n\t\tIPv4_Destination_Address 10.0.3.3');
    const conf = join(dir, 'conntrackd.conf');
    expect(host.calls.indexOf(`conntrackd -C ${conf} -k`)).toBeLessThan(host.calls.indexOf(`spawn conntrackd -C ${conf}`));
    expect(sync.status().conntrackd).toMatchObject({ running: true, pid: 1000, restarts: 0 });
  });

  it('refuses to start, with a fix, when the sync interface has no address', async () => {
    host.state.addr = [];
    sync = createStateSync(syncConfig(), { dir, host });
    expect(await sync.start()).toEqual({
      code: 'sync-address',
      where: 'stateSync.interface',
      message: 'stateSync: interface sync has no usable address; add an address on the sync link or set stateSync.address',
    });
    expect(host.calls.some((c) => c.startsWith('spawn'))).toBe(false);
  });

  it('commits the external cache with conntrackd -c before master and reports how long it took and how many states', async () => {
    await started();
    host.state.stats = { external: [1000, 1000, 0, 0], recv: 5 };
    host.state.commitMs = 42;
    await seconds(1);
    const r = await sync.beforeMaster();
    expect(r).toEqual({ ok: true, ms: 42, states: 1000 });
    expect(host.commands()).toEqual(['-n', '-c']);
    expect(events.find((e) => e.kind === 'commit')?.message).toBe('committed 1000 state(s) from the peer into the kernel in 42.0 ms');
    expect(sync.status().lastCommit).toMatchObject({ ms: 42, states: 1000, ok: true });
  });

  it('returns a failed commit as a value with conntrackd\'s message', async () => {
    await started();
    host.state.failing.add('-c');
    const r = await sync.beforeMaster();
    expect(r.ok).toBe(false);
    expect(r.error).toContain('cannot connect to');
    expect(sync.status().errors[0].message).toMatch(/^conntrackd -c \(commit the external cache\) failed: cannot connect/);
  });

  it('after master flushes, resyncs with the kernel and sends a bulk update, in that order; on backup shortens timers then asks for a resync', async () => {
    await started();
    await sync.afterMaster();
    expect(host.commands()).toEqual(['-f', '-R', '-B']);
    expect(sync.status().lastBulkSync).not.toBeNull();
    await sync.onBackup();
    expect(host.commands()).toEqual(['-f', '-R', '-B', '-t', '-n']);
  });

  it('is not ready until the peer was heard, asked for a resync, and its bulk update stopped growing the external cache', async () => {
    await started();
    const changes: [boolean, string][] = [];
    sync.onReadyChange((ready, why) => changes.push([ready, why]));
    await seconds(3);
    expect(sync.ready).toBe(false);
    expect(sync.status().readyReason).toBe('waiting for the peer on the sync link');
    host.state.stats = { recv: 10, external: [300, 300, 0, 0] };
    await seconds(1);
    expect(host.commands()).toEqual(['-n']);
    host.state.stats = { recv: 20, external: [800, 800, 0, 0] };
    await seconds(1);
    expect(sync.ready).toBe(false);
    expect(sync.status().readyReason).toBe('bulk resync with the peer running');
    host.state.stats = { recv: 25, external: [800, 800, 0, 0] };
    await seconds(1);
    expect(sync.ready).toBe(true);
    expect(changes).toEqual([[true, 'bulk resync with the peer done (800 states)']]);
    expect(sync.status().lastBulkSync).not.toBeNull();
  });

  it('waits a settle time after its resync request even when the peer has no states', async () => {
    await started();
    host.state.stats = { recv: 3 };
    await seconds(1);
    expect(sync.ready).toBe(false);
    await seconds(1);
    expect(sync.ready).toBe(true);
    expect(sync.status().readyReason).toBe('bulk resync with the peer done (0 states)');
  });

  it('gives up waiting for the bulk resync after startupTimeout and says why', async () => {
    await started({ startupTimeout: 5 });
    await seconds(4);
    expect(sync.ready).toBe(false);
    await seconds(1);
    expect(sync.ready).toBe(true);
    expect(sync.status().readyReason).toBe('no complete bulk resync within 5 s (peer not heard); going ahead without it');
  });

  it('restarts conntrackd with backoff when it dies and reports each death with its last output', async () => {
    await started();
    host.children[0].exit({ code: 1, signal: null });
    await vi.advanceTimersByTimeAsync(0);
    expect(sync.status().conntrackd.running).toBe(false);
    expect(events.at(-1)).toEqual({ kind: 'conntrackd-died', message: 'conntrackd exited with status 1 (conntrackd: [ERROR] something broke); restarting in 0.50 s (restart 1)' });
    await vi.advanceTimersByTimeAsync(499);
    expect(host.children).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(host.children).toHaveLength(2);
    expect(events.at(-1)).toEqual({ kind: 'conntrackd-started', message: 'conntrackd restarted (pid 1001, restart 1)' });
    host.children[1].exit({ code: null, signal: 'SIGSEGV' });
    await vi.advanceTimersByTimeAsync(0);
    expect(events.at(-1)?.message).toMatch(/^conntrackd killed by SIGSEGV .*restarting in 2\.00 s \(restart 2\)$/);
    await vi.advanceTimersByTimeAsync(2000);
    expect(host.children).toHaveLength(3);
    expect(sync.status().conntrackd).toMatchObject({ running: true, restarts: 2 });
  });

  it('stop terminates conntrackd and cancels a pending restart', async () => {
    await started();
    host.children[0].exit({ code: 1, signal: null });
    await vi.advanceTimersByTimeAsync(0);
    await sync.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(host.children).toHaveLength(1);
    await started();
    await sync.stop();
    expect(host.children[1].killed).toEqual(['SIGTERM']);
    expect(sync.status().conntrackd.running).toBe(false);
  });

  it('reports a stall as an event and in status', async () => {
    await started({ stallAfter: 5 });
    for (let i = 0; i < 8; i++) {
      host.state.kernelCount = 10 + i;
      host.state.stats = { recv: i };
      await seconds(1);
    }
    expect(events.filter((e) => e.kind === 'stall').map((e) => e.message)).toEqual(['the conntrack table changed for 5 s but conntrackd read no conntrack event from the kernel']);
    expect(sync.status().stall).not.toBeNull();
  });

  it('status shows peer, states in kernel and caches, and message counters', async () => {
    await started();
    host.state.stats = { internal: [3, 3, 0, 0], external: [7, 7, 0, 0], recv: 12, sent: 9, lost: 2 };
    host.state.kernelCount = 11;
    await seconds(1);
    expect(sync.status()).toMatchObject({
      interface: 'sync',
      peer: '10.0.3.3',
      localAddress: '10.0.3.2',
      peerReachable: true,
      lastHeardSecondsAgo: 0,
      states: { kernel: 11, internalCache: 3, externalCache: 7 },
      messages: { sent: 9, received: 12, lost: 2 },
    });
  });

  it('after master first prompts the synced TCP flows to retransmit, then flushes, and reports how many', async () => {
    sync = createStateSync(syncConfig(), {
      dir,
      host,
      nudge: async () => {
        host.calls.push('nudge');
        host.clock += 35;
        return { flows: 3, nudged: 6, errors: [] };
      },
    });
    events = [];
    sync.onEvent((e) => events.push(e));
    await sync.start();
    await sync.afterMaster();
    expect(host.calls.filter((c) => c === 'nudge' || c.includes(' -f') || c.includes(' -B')).map((c) => c.split(' ').pop())).toEqual(['nudge', '-f', '-B']);
    expect(events.find((e) => e.kind === 'nudge')?.message).toBe('prompted 6 TCP endpoint(s) of 3 flow(s) to retransmit now (35 ms)');
  });

  it('forces a full resync on request: kernel to us, us to the peer, the peer to us', async () => {
    await started();
    expect(await sync.resync()).toMatchObject({ ok: true });
    expect(host.commands()).toEqual(['-R', '-B', '-n']);
  });
});
