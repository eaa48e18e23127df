import { describe, expect, it } from 'vitest';
import { EventMerger, type NodeEvent } from '../../../electron/core/deploy/events.js';
import { backoffDelay, isPermanent } from '../../../electron/core/ssh/reconnect.js';
import { SshError } from '../../../electron/core/ssh/errors.js';

describe('merged event timeline', () => {
  it('releases events of several nodes in time order once they were held long enough', () => {
    let now = 1000;
    const out: NodeEvent[] = [];
    const m = new EventMerger((e) => out.push(e), 150, () => now);
    m.push('fw2', { seq: 7, time: '2026-01-01T00:00:01.200Z', kind: 'state' });
    m.push('fw1', { seq: 3, time: '2026-01-01T00:00:01.100Z', kind: 'state' });
    m.flush();
    expect(out).toEqual([]);
    now += 150;
    m.push('fw1', { seq: 4, time: '2026-01-01T00:00:01.300Z', kind: 'state' });
    m.flush();
    expect(out.map((e) => `${e.source}#${e.seq}`)).toEqual(['fw1#3', 'fw2#7']);
    m.flush(true);
    expect(out.map((e) => `${e.source}#${e.seq}`)).toEqual(['fw1#3', 'fw2#7', 'fw1#4']);
  });

  it('resumes after the last seq of each node and drops what a reopened stream repeats', () => {
    const out: NodeEvent[] = [];
    const m = new EventMerger((e) => out.push(e), 0);
    m.seed('fw1', 10);
    expect(m.push('fw1', { seq: 9, time: 't1' })).toBe(false);
    expect(m.push('fw1', { seq: 11, time: 't2' })).toBe(true);
    expect(m.since('fw1')).toBe(11);
    expect(m.push('fw1', { seq: 11, time: 't2' })).toBe(false);
    expect(m.push('fw1', { seq: 'x', time: 't3' })).toBe(false);
    expect(m.since('fw2')).toBe(0);
    m.flush(true);
    expect(out.map((e) => e.seq)).toEqual([11]);
  });
});

describe('reconnect backoff', () => {
  it('doubles from about 1 s to at most 30 s with jitter of ±20 %', () => {
    expect(backoffDelay(0, () => 0.5)).toBe(1000);
    expect(backoffDelay(3, () => 0.5)).toBe(8000);
    expect(backoffDelay(10, () => 0.5)).toBe(30000);
    expect(backoffDelay(0, () => 0)).toBe(800);
    expect(backoffDelay(10, () => 1)).toBe(36000);
  });

  it('does not retry what a retry cannot fix', () => {
    expect(isPermanent(new SshError('auth-failed', 'x', 'y'))).toBe(true);
    expect(isPermanent(new SshError('host-key-changed', 'x', 'y'))).toBe(true);
    expect(isPermanent(new SshError('unreachable', 'x', 'y'))).toBe(false);
    expect(isPermanent(new Error('socket hang up'))).toBe(false);
  });
});
