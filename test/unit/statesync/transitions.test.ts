import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommitResult, StateSync, StateSyncEvent } from '../../../daemon/statesync/sync.js';
import { AFTER_VIPS_SETTLE_MS, StateSyncTransitions, type CarpdSide } from '../../../daemon/statesync/transitions.js';

function fakes(startError: Awaited<ReturnType<StateSync['start']>> = null) {
  const calls: string[] = [];
  let release!: (r: CommitResult) => void;
  const readyFns: ((ready: boolean, why: string) => void)[] = [];
  const eventFns: ((e: StateSyncEvent) => void)[] = [];
  const sync = {
    start: async () => (calls.push('start'), startError),
    stop: async () => void calls.push('stop'),
    beforeMaster: () => (calls.push('beforeMaster'), new Promise<CommitResult>((r) => (release = r))),
    afterMaster: async () => void calls.push('afterMaster'),
    nudge: async () => void calls.push('nudge'),
    onBackup: async () => void calls.push('onBackup'),
    status: () => ({ ready: true }),
    resync: async () => (calls.push('resync'), { ok: true, message: 'full resync started' }),
    onReadyChange: (fn: (ready: boolean, why: string) => void) => (readyFns.push(fn), () => true),
    onEvent: (fn: (e: StateSyncEvent) => void) => (eventFns.push(fn), () => true),
  } as unknown as StateSync;
  const carpd: CarpdSide & { log: string[] } = {
    log: [],
    setDemotion: (n, why) => calls.push(`demote ${n}: ${why}`),
    event: (e) => calls.push(`event ${e.kind}`),
    info: (m) => carpd.log.push(m),
    warn: (m) => carpd.log.push(`warn: ${m}`),
  };
  return { sync, carpd, calls, commit: (r: CommitResult) => release(r), ready: (why: string) => readyFns.forEach((f) => f(true, why)), emit: (e: StateSyncEvent) => eventFns.forEach((f) => f(e)) };
}

describe('state sync wired to CARP transitions', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('demotes at start until the bulk resync is done, and forwards events to carpd', async () => {
    const f = fakes();
    const t = new StateSyncTransitions(f.sync, f.carpd);
    await t.start();
    expect(f.calls).toEqual(['demote 240: state sync not ready: waiting for the bulk resync with the peer', 'start']);
    f.emit({ kind: 'peer-lost', message: 'x' });
    f.ready('bulk resync with the peer done (12 states)');
    expect(f.calls.slice(2)).toEqual(['event peer-lost', 'demote 0: state sync ready: bulk resync with the peer done (12 states)']);
  });

  it('stays demoted and says why when state sync cannot start', async () => {
    const f = fakes({ code: 'sync-address', message: 'stateSync: interface sync does not exist', where: 'stateSync.interface' });
    await new StateSyncTransitions(f.sync, f.carpd).start();
    expect(f.calls.at(-1)).toBe('demote 240: state sync not ready: stateSync: interface sync does not exist');
    expect(f.carpd.log[0]).toMatch(/^warn: stateSync: interface sync does not exist \(state sync is off/);
  });

  it('commits once per takeover, before any vhid adds its VIPs, and logs how long it took', async () => {
    const f = fakes();
    const t = new StateSyncTransitions(f.sync, f.carpd);
    const order: string[] = [];
    const vhid = (n: number) => t.beforeVips().then(() => order.push(`add VIPs of vhid ${n}`));
    const both = Promise.all([vhid(1), vhid(2)]);
    await Promise.resolve();
    expect(order).toEqual([]);
    f.commit({ ok: true, ms: 12.34, states: 1000 });
    await both;
    expect(order).toEqual(['add VIPs of vhid 1', 'add VIPs of vhid 2']);
    expect(f.calls.filter((c) => c === 'beforeMaster')).toHaveLength(1);
    expect(f.carpd.log).toEqual(['state sync: committed 1000 state(s) into the kernel in 12.3 ms before adding the VIPs']);
  });

  it('runs the after-master work once, when the last vhid of the takeover has its VIPs up and announced; a later vhid gets the nudge again', async () => {
    vi.useFakeTimers();
    const f = fakes();
    const t = new StateSyncTransitions(f.sync, f.carpd);
    void t.beforeVips();
    void t.beforeVips();
    t.afterVips();
    await vi.advanceTimersByTimeAsync(1000);
    expect(f.calls).not.toContain('afterMaster');
    t.afterVips();
    await vi.advanceTimersByTimeAsync(AFTER_VIPS_SETTLE_MS - 1);
    expect(f.calls).not.toContain('afterMaster');
    await vi.advanceTimersByTimeAsync(1);
    expect(f.calls.filter((c) => c === 'afterMaster')).toHaveLength(1);
    expect(f.calls).not.toContain('nudge');
    void t.beforeVips();
    t.afterVips();
    await vi.advanceTimersByTimeAsync(1000);
    expect(f.calls.filter((c) => c === 'afterMaster')).toHaveLength(1);
    expect(f.calls.filter((c) => c === 'nudge')).toHaveLength(1);
  });

  it('a failed commit is logged and does not hold the VIPs back', async () => {
    const f = fakes();
    const t = new StateSyncTransitions(f.sync, f.carpd);
    const p = t.beforeVips();
    f.commit({ ok: false, ms: 3, states: null, error: 'conntrackd is not running; nothing committed' });
    await expect(p).resolves.toBeUndefined();
    expect(f.carpd.log).toEqual(['warn: state sync: commit before adding the VIPs failed after 3.0 ms: conntrackd is not running; nothing committed']);
  });

  it('passes status and resync through for carpctl', async () => {
    const f = fakes();
    const t = new StateSyncTransitions(f.sync, f.carpd);
    expect(t.status()).toEqual({ ready: true });
    expect(await t.resync()).toEqual({ ok: true, message: 'full resync started' });
    expect(f.calls).toEqual(['resync']);
  });

  it('on leaving MASTER (last master vhid) shortens timers and asks for a resync, and the next takeover commits again', async () => {
    const f = fakes();
    const t = new StateSyncTransitions(f.sync, f.carpd);
    const first = t.beforeVips();
    f.commit({ ok: true, ms: 1, states: 1 });
    await first;
    t.stateChanged('MASTER', 'BACKUP', 1);
    expect(f.calls).not.toContain('onBackup');
    t.stateChanged('INIT', 'BACKUP', 0);
    expect(f.calls).not.toContain('onBackup');
    t.stateChanged('MASTER', 'BACKUP', 0);
    expect(f.calls.filter((c) => c === 'onBackup')).toHaveLength(1);
    void t.beforeVips();
    expect(f.calls.filter((c) => c === 'beforeMaster')).toHaveLength(2);
  });
});
