import { createRouterClient } from '@orpc/server';
import { describe, expect, it } from 'vitest';
import type { DiscoveryUpdate } from '../../../shared/api/contract.js';
import { EventHub } from '../../../electron/core/api/events.js';
import { createRouter } from '../../../electron/core/api/router.js';
import { createDiscoveryService } from '../../../electron/core/discovery/service.js';
import { deniedHelper, playingHelper } from './stand-ins.js';

function client(helperPath: string) {
  const router = createRouter({
    platform: { version: '0.0.0', mode: 'browser', os: 'linux' },
    events: new EventHub(),
    discovery: createDiscoveryService({ helperPath, tcpdumpPath: null }),
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
