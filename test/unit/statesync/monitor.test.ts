import { describe, expect, it } from 'vitest';
import { HealthMonitor, type Sample } from '../../../daemon/statesync/monitor.js';
import { parseStats, type ConntrackdStats } from '../../../daemon/statesync/stats.js';
import { statsText } from './fixtures.js';

const stats = (n: Parameters<typeof statsText>[0]): ConntrackdStats => {
  const r = parseStats(statsText(n));
  if (!r.ok) throw new Error(r.message);
  return r.stats;
};

/** Feeds one sample per second; `at(i)` gives sample i's fields. */
function run(m: HealthMonitor, seconds: number, at: (i: number) => Omit<Sample, 'at'>) {
  const events: { t: number; kind: string; message: string }[] = [];
  for (let i = 0; i <= seconds; i++) for (const e of m.push({ at: i * 1000, ...at(i) })) events.push({ t: i, ...e });
  return events;
}

const opts = { stallAfterMs: 10_000, peerTimeoutMs: 3000 };

describe('state sync health monitor', () => {
  it('reports a stall when the conntrack table keeps changing but conntrackd reads no event for the whole window', () => {
    const m = new HealthMonitor(opts);
    const events = run(m, 20, (i) => ({ stats: stats({ recv: i }), eventsReceived: i < 5 ? i * 3 : 15, kernelCount: 100 + i }));
    const stall = events.filter((e) => e.kind === 'stall');
    expect(stall).toHaveLength(1);
    expect(stall[0].t).toBe(15);
    expect(stall[0].message).toBe('the conntrack table changed for 10 s but conntrackd read no conntrack event from the kernel');
    expect(m.stall).not.toBeNull();
  });

  it('does not call an idle firewall stalled: frozen counters with an unchanged table are fine', () => {
    const m = new HealthMonitor(opts);
    const events = run(m, 30, (i) => ({ stats: stats({ recv: i }), eventsReceived: 7, kernelCount: 40 }));
    expect(events.filter((e) => e.kind === 'stall')).toEqual([]);
  });

  it('clears the stall once events flow again', () => {
    const m = new HealthMonitor(opts);
    const events = run(m, 30, (i) => ({ stats: stats({ recv: i }), eventsReceived: i < 20 ? 0 : i, kernelCount: 100 + i }));
    expect(events.filter((e) => e.kind.startsWith('stall')).map((e) => [e.kind, e.t])).toEqual([
      ['stall', 10],
      ['stall-cleared', 20],
    ]);
  });

  it('reports a hung conntrackd that answers nothing for the window', () => {
    const m = new HealthMonitor(opts);
    const events = run(m, 12, (i) => ({ stats: i < 2 ? stats({ recv: i }) : null, eventsReceived: null, kernelCount: 5 }));
    expect(events.find((e) => e.kind === 'stall')?.message).toMatch(/^conntrackd has not answered for 1\d s$/);
  });

  it('marks the peer unreachable after its messages stop and reachable when they return', () => {
    const m = new HealthMonitor(opts);
    const recv = (i: number) => (i < 5 ? i : i < 12 ? 5 : i);
    const events = run(m, 15, (i) => ({ stats: stats({ recv: recv(i) }), eventsReceived: 0, kernelCount: 0 }));
    expect(events.filter((e) => e.kind.startsWith('peer')).map((e) => [e.kind, e.t])).toEqual([
      ['peer-back', 1],
      ['peer-lost', 9],
      ['peer-back', 12],
    ]);
  });

  it('never calls a peer reachable when nothing has ever arrived', () => {
    const m = new HealthMonitor(opts);
    run(m, 5, () => ({ stats: stats({ recv: 0 }), eventsReceived: 0, kernelCount: 0 }));
    expect(m.peerReachable).toBe(false);
  });

  it('reports each increase of lost messages once', () => {
    const m = new HealthMonitor(opts);
    const events = run(m, 5, (i) => ({ stats: stats({ recv: i, lost: i < 2 ? 0 : 3 }), eventsReceived: 0, kernelCount: 0 }));
    expect(events.filter((e) => e.kind === 'lost-messages').map((e) => e.message)).toEqual(['3 sync message(s) from the peer were lost (3 in total)']);
  });

  it('starts counting afresh after a conntrackd restart resets its counters', () => {
    const m = new HealthMonitor(opts);
    run(m, 3, (i) => ({ stats: stats({ recv: 100 + i, lost: 9 }), eventsReceived: 50, kernelCount: 1 }));
    m.reset();
    const events = m.push({ at: 4000, stats: stats({ recv: 1, lost: 1 }), eventsReceived: 0, kernelCount: 1 });
    expect(events.map((e) => e.message)).toEqual(['1 sync message(s) from the peer were lost (1 in total)']);
  });
});
