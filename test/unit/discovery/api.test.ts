import { createRouterClient } from '@orpc/server';
import { describe, expect, it } from 'vitest';
import type { DiscoveryUpdate } from '../../../shared/api/contract.js';
import { EventHub } from '../../../electron/core/api/events.js';
import { createRouter } from '../../../electron/core/api/router.js';
import { createDiscoveryService } from '../../../electron/core/discovery/service.js';
import { CaptureReader } from '../../../shared/capture/reader.js';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import { Recording } from '../../../electron/core/discovery/recording.js';
import { carp } from './wire.js';
import { deniedHelper, playingHelper, tricklingHelper } from './stand-ins.js';

function client(helperPath: string, recordingLimitBytes?: number) {
  const router = createRouter({
    platform: { version: '0.0.0', mode: 'browser', os: 'linux' },
    events: new EventHub(),
    discovery: createDiscoveryService({ helperPath, tcpdumpPath: null, recordingLimitBytes }),
  });
  return createRouterClient(router);
}

describe('discovery API', () => {
  it('lists the interfaces with their link state', async () => {
    const { interfaces } = await client(playingHelper).discovery.interfaces({ probeSeconds: 0 });
    const lo = interfaces.find((i) => i.loopback);
    expect(lo).toMatchObject({ state: expect.stringMatching(/^(up|unknown)$/), addresses: expect.arrayContaining(['127.0.0.1/8']) });
  });

  it('streams events the moment they happen and snapshots with increasing seq until the watch is cancelled', async () => {
    const abort = new AbortController();
    const stream = await client(playingHelper).discovery.watch({ interface: 'lan', snapshotMs: 100 }, { signal: abort.signal });
    const seen: DiscoveryUpdate[] = [];
    for await (const u of stream) {
      seen.push(u);
      if (u.kind === 'snapshot' && u.snapshot.groups.length > 0) break;
    }
    abort.abort();
    const seqs = seen.map((u) => u.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const events = seen.flatMap((u) => (u.kind === 'event' ? [u.event] : []));
    expect(events.map((e) => e.kind)).toEqual(['capture', 'master']);
    const last = seen.at(-1);
    expect(last?.kind === 'snapshot' && last.snapshot.groups[0]).toMatchObject({ id: 'carp:11', master: { address: '10.0.1.2' } });
    // the events came one by one on the same stream: snapshots do not repeat them
    expect(last?.kind === 'snapshot' && last.snapshot.events).toEqual([]);
  });

  it('ends the stream with the capture error and its fix', async () => {
    const seen: DiscoveryUpdate[] = [];
    for await (const u of await client(deniedHelper).discovery.watch({ interface: 'lan' })) seen.push(u);
    expect(seen.at(-1)).toMatchObject({ kind: 'end', error: { code: 'permission-denied', fix: 'setcap ...' } });
  });

  it('refuses a watch without an interface', async () => {
    await expect(client(playingHelper).discovery.watch({ interface: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

type Snapshot = Extract<DiscoveryUpdate, { kind: 'snapshot' }>;

describe('discovery API: recording the live capture', () => {
  /** Reads the stream until `until` holds for a snapshot; returns that snapshot. */
  async function next(stream: AsyncIterator<DiscoveryUpdate>, until: (u: Snapshot) => boolean): Promise<Snapshot> {
    for (;;) {
      const r = await stream.next();
      if (r.done) throw new Error('the watch ended');
      if (r.value.kind === 'snapshot' && until(r.value)) return r.value;
    }
  }

  async function fetchAll(api: ReturnType<typeof client>, id: string): Promise<Uint8Array> {
    const parts: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const chunk = await api.discovery.recording({ id, offset });
      const bytes = Buffer.from(chunk.data, 'base64');
      parts.push(bytes);
      offset += bytes.length;
      if (offset >= chunk.total) return Buffer.concat(parts);
    }
  }

  it('records from start to stop as pcapng of exactly the frames counted, and keeps it after the watch ended', async () => {
    const api = client(tricklingHelper);
    const abort = new AbortController();
    const stream = (await api.discovery.watch({ interface: 'lan', snapshotMs: 100 }, { signal: abort.signal }))[Symbol.asyncIterator]();
    const first = await next(stream, (u) => u.snapshot.packets > 0);
    expect(first.watch).toMatch(/^[0-9a-f]{16}$/);
    expect(first.recording).toBeUndefined();
    const started = await api.discovery.record({ watch: first.watch!, record: true });
    expect(started).toMatchObject({ interface: 'lan', active: true, frames: 0, stopped: null });
    const progress = await next(stream, (u) => (u.recording?.frames ?? 0) >= 5);
    expect(progress.recording).toMatchObject({ id: started.id, active: true });
    const stopped = await api.discovery.record({ watch: first.watch!, record: false });
    expect(stopped).toMatchObject({ id: started.id, active: false, stopped: 'user' });
    // frames captured after the stop are not added
    const later = await next(stream, (u) => u.snapshot.packets >= progress.snapshot.packets + 5);
    abort.abort();
    expect(later.recording).toMatchObject({ id: started.id, active: false, frames: stopped.frames, bytes: stopped.bytes });
    const bytes = await fetchAll(api, started.id);
    expect(bytes.length).toBe(stopped.bytes);
    const reader = new CaptureReader();
    reader.push(bytes);
    reader.end();
    const srcs: (string | undefined)[] = [];
    for (let f = reader.next(); f; f = reader.next()) srcs.push(decodeFrame(f.linkType, f.data)?.ip?.src);
    expect(reader.format).toBe('pcapng');
    expect(srcs.length).toBe(stopped.frames);
    expect(new Set(srcs)).toEqual(new Set(['10.0.1.2']));
  });

  it('refuses to record a watch that is not running, and to fetch a recording it does not keep, with a clear message', async () => {
    const api = client(playingHelper);
    await expect(api.discovery.record({ watch: 'feedfacefeedface', record: true })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no running discovery watch "feedfacefeedface": it ended; listen again/) });
    await expect(api.discovery.recording({ id: 'nope', offset: 0 })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/recording "nope" is no longer kept/) });
  });

  it('stops recording by itself at the size limit, and when the capture ends', async () => {
    const r = new Recording('r1', 'lan', 400);
    const { frame } = carp(1_800_000_000, { src: '10.0.1.2', mac: '00:00:5e:00:00:0b', vhid: 11 });
    for (let i = 0; i < 10; i++) r.write(frame);
    const info = r.info();
    expect(info).toMatchObject({ active: false, stopped: 'limit' });
    expect(info.frames).toBeGreaterThan(0);
    expect(info.bytes).toBeLessThanOrEqual(400);
    const reader = new CaptureReader();
    reader.push(r.read(0, 1 << 20));
    reader.end();
    let n = 0;
    while (reader.next()) n++;
    expect(n).toBe(info.frames);
    const ended = new Recording('r2', 'lan');
    ended.stop('capture-ended');
    ended.stop('user');
    expect(ended.info().stopped).toBe('capture-ended');
  });
});
