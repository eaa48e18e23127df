import { describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../../shared/api/contract.js';
import { EventHub } from '../../../electron/core/api/events.js';

const info = { version: '1.0.0', mode: 'browser' as const, platform: 'linux' };

async function take(stream: AsyncIterator<SystemEvent>, n: number): Promise<SystemEvent[]> {
  const out: SystemEvent[] = [];
  while (out.length < n) {
    const r = await stream.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

describe('backend event hub', () => {
  it('numbers events with one increasing sequence shared by all subscribers', async () => {
    const hub = new EventHub({ heartbeatMs: 60_000, now: () => 1000 });
    const a = hub.subscribe(info);
    const b = hub.subscribe(info);
    hub.notify('info', 'one');
    const [helloA, noticeA] = await take(a, 2);
    const [helloB, noticeB] = await take(b, 2);
    expect([helloA.seq, helloB.seq, noticeA.seq]).toEqual([1, 2, 3]);
    expect(noticeB).toEqual({ seq: 3, time: 1000, kind: 'notice', level: 'info', message: 'one' });
    hub.close();
  });

  it('replays only the buffered notices newer than since, up to the buffer size', async () => {
    const hub = new EventHub({ heartbeatMs: 60_000, keepNotices: 2 });
    const first = hub.notify('info', 'n1');
    hub.notify('info', 'n2');
    hub.notify('warning', 'n3');
    const events = await take(hub.subscribe(info, { since: 0 }), 3);
    expect(events.map((e) => (e.kind === 'notice' ? e.message : e.kind))).toEqual(['hello', 'n2', 'n3']);
    const after = await take(hub.subscribe(info, { since: first.seq + 1, run: hub.run }), 2);
    expect(after.map((e) => (e.kind === 'notice' ? e.message : e.kind))).toEqual(['hello', 'n3']);
    hub.close();
  });

  it('replays every buffered notice when since belongs to an earlier run of the backend', async () => {
    const hub = new EventHub({ heartbeatMs: 60_000 });
    hub.notify('info', 'n1');
    hub.notify('info', 'n2');
    const events = await take(hub.subscribe(info, { since: 5, run: 'an-earlier-run' }), 3);
    expect(events.map((e) => (e.kind === 'notice' ? e.message : e.kind))).toEqual(['hello', 'n1', 'n2']);
    expect(events[0]).toMatchObject({ kind: 'hello', run: hub.run });
    hub.close();
  });

  it('delivers what is queued before ending on close, and ends new streams after close, and forgets subscribers that return', async () => {
    const hub = new EventHub({ heartbeatMs: 60_000 });
    const s = hub.subscribe(info);
    hub.notify('warning', 'bye');
    hub.close();
    expect((await take(s, 5)).map((e) => e.kind)).toEqual(['hello', 'notice']);
    expect(hub.subscriberCount).toBe(0);
    expect(await hub.subscribe(info).next()).toEqual({ done: true, value: undefined });
    const open = new EventHub({ heartbeatMs: 60_000 });
    const t = open.subscribe(info);
    expect(open.subscriberCount).toBe(1);
    await t.return?.();
    expect(open.subscriberCount).toBe(0);
  });

  it('ends a subscription when its abort signal fires, even while waiting', async () => {
    const hub = new EventHub({ heartbeatMs: 60_000 });
    const controller = new AbortController();
    const s = hub.subscribe(info, {}, controller.signal);
    await s.next();
    const waiting = s.next();
    controller.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(hub.subscriberCount).toBe(0);
  });

  it('sends heartbeats at the configured interval', async () => {
    const hub = new EventHub({ heartbeatMs: 5 });
    const events = await take(hub.subscribe(info), 3);
    expect(events.map((e) => e.kind)).toEqual(['hello', 'heartbeat', 'heartbeat']);
    hub.close();
  });
});
