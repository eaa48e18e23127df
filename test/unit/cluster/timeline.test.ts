import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../shared/api/cluster-contract.js';
import { Timeline } from '../../../electron/core/cluster/timeline.js';

const ev = (seq: number, time: string, over: Record<string, unknown> = {}) => ({ seq, time, node: 'x', kind: 'state', vhid: 1, old: 'BACKUP', new: 'MASTER', cause: `c${seq}`, ...over });

async function take(it: AsyncIterator<TimelineEvent>, n: number): Promise<TimelineEvent[]> {
  const out: TimelineEvent[] = [];
  while (out.length < n) out.push((await it.next()).value as TimelineEvent);
  return out;
}

describe('merged timeline', () => {
  it('puts the events of several nodes in time order under its own seq, and flags a vhid becoming MASTER', async () => {
    const t = new Timeline({ holdMs: 0 });
    const sub = t.subscribe(undefined);
    t.push('root@fw2', ev(7, '2026-01-01T00:00:02.000Z', { old: 'MASTER', new: 'BACKUP' }));
    t.push('root@fw1', ev(3, '2026-01-01T00:00:01.000Z'));
    t.flush();
    const got = await take(sub, 2);
    expect(got.map((e) => [e.seq, e.node, e.nodeSeq, e.failover])).toEqual([
      [1, 'root@fw1', 3, true],
      [2, 'root@fw2', 7, false],
    ]);
    expect(got[0]).toMatchObject({ kind: 'state', vhid: 1, old: 'BACKUP', new: 'MASTER', cause: 'c3', time: Date.parse('2026-01-01T00:00:01.000Z') });
    t.close();
  });

  it('drops what a reopened node stream repeats and keeps the per-node resume point', () => {
    const t = new Timeline({ holdMs: 0 });
    expect(t.push('n', ev(1, '2026-01-01T00:00:01Z'))).toBe(true);
    expect(t.push('n', ev(2, '2026-01-01T00:00:02Z'))).toBe(true);
    expect(t.since('n')).toBe(2);
    // after a reconnect the stream is reopened with --since 2; a server that repeats anyway changes nothing
    expect(t.push('n', ev(2, '2026-01-01T00:00:02Z'))).toBe(false);
    expect(t.push('n', ev(1, '2026-01-01T00:00:01Z'))).toBe(false);
    expect(t.push('n', ev(3, '2026-01-01T00:00:03Z'))).toBe(true);
    t.flush();
    expect(t.last).toBe(3);
    t.close();
  });

  it('a client resuming with since gets exactly the events it missed, then live ones', async () => {
    const t = new Timeline({ holdMs: 0 });
    for (let i = 1; i <= 5; i++) t.push('n', ev(i, `2026-01-01T00:00:0${i}Z`));
    t.flush();
    const resumed = t.subscribe(3);
    t.note('n', 'connection', 'connection lost');
    const got = await take(resumed, 3);
    expect(got.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(got.map((e) => e.nodeSeq)).toEqual([4, 5, 0]);
    expect(got[2]).toMatchObject({ kind: 'connection', cause: 'connection lost', failover: false });
    t.close();
    expect((await resumed.next()).done).toBe(true);
  });

  it('holds node events briefly so a slightly later arrival from another node is still put in order', async () => {
    const t = new Timeline({ holdMs: 30 });
    const sub = t.subscribe(undefined);
    t.push('b', ev(1, '2026-01-01T00:00:00.500Z'));
    t.push('a', ev(1, '2026-01-01T00:00:00.400Z'));
    const got = await take(sub, 2);
    expect(got.map((e) => e.node)).toEqual(['a', 'b']);
    t.close();
  });

  it('a since from an earlier run of the backend (beyond the last seq) replays everything kept', async () => {
    const t = new Timeline({ holdMs: 0 });
    t.note('n', 'connection', 'connected');
    t.note('n', 'action', 'maintenance-on: done');
    const sub = t.subscribe(500);
    expect((await take(sub, 2)).map((e) => e.seq)).toEqual([1, 2]);
    t.close();
  });
});
