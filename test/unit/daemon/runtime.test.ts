import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import type { CarpAdvert } from '../../../shared/protocol/types.js';
import { parseConfigText } from '../../../daemon/config/load.js';
import { ADVERT_SLACK_MS } from '../../../daemon/core/timing.js';
import { EventLog } from '../../../daemon/events/log.js';
import { Carpd } from '../../../daemon/runtime/daemon.js';
import type { DaemonIo } from '../../../daemon/runtime/io.js';

function setup(dir: string) {
  const sent: Uint8Array[] = [];
  const calls: string[] = [];
  const hooks: { argv: string[]; env: Record<string, string> }[] = [];
  const io: DaemonIo = {
    openPort: () => ({ send: (f) => void sent.push(f), close: () => {} }),
    interfaceAddresses: async () => ({ mac: '02:00:00:00:00:01', addresses: ['10.0.1.2'], ipv4: '10.0.1.2' }),
    linkUp: () => true,
    addVips: async (v) => void calls.push(`add ${v.vips.join(',')}`),
    removeVips: async (v) => void calls.push(`remove ${v.vips.join(',')}`),
    removeStaleVips: async (v) => {
      calls.push(`stale-check ${v.interface}`);
      return [];
    },
    neighbourMac: async () => undefined,
    pokeNeighbour: () => {},
    runHook: (argv, env) => void hooks.push({ argv, env }),
  };
  const text = JSON.stringify({
    node: 'fw1',
    stateDir: join(dir, 'state'),
    hooks: { master: ['/usr/local/sbin/carp-up', 'lan'] },
    vhids: [{ vhid: 4, interface: 'lan', advskew: 10, password: 'secret', vips: ['10.0.1.1/24'] }],
  });
  const parsed = parseConfigText(text, 'carpd.json');
  if (!parsed.ok) throw new Error(parsed.error.message);
  const silent = { info: () => {}, warn: () => {}, event: () => {} };
  const daemon = new Carpd(parsed.config, 'carpd.json', io, new EventLog(dir, 'fw1', 100), silent);
  const adverts = () => sent.map((f) => decodeFrame(1, f)?.ha).filter((h): h is CarpAdvert => h?.kind === 'carp');
  return { daemon, calls, hooks, adverts };
}

describe('carpd runtime shell with a fake host', () => {
  let dir: string;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
    dir = mkdtempSync(join(tmpdir(), 'carpd-rt-'));
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks for stale VIPs at start, takes over after the master-down interval, adds VIPs, runs the master hook and advertises', async () => {
    const { daemon, calls, hooks, adverts } = setup(dir);
    await daemon.start();
    expect(calls).toEqual(['stale-check lan']);
    await vi.advanceTimersByTimeAsync(3000 + (10 * 1000) / 256 + 1);
    expect(daemon.status().vhids[0].state).toBe('MASTER');
    expect(calls).toContain('add 10.0.1.1/24');
    expect(hooks).toEqual([{ argv: ['/usr/local/sbin/carp-up', 'lan'], env: { CARP_VHID: '4', CARP_INTERFACE: 'lan', CARP_STATE: 'MASTER', CARP_CAUSE: 'no advertisement heard for 3.04 s' } }]);
    await vi.advanceTimersByTimeAsync(3 * (1000 + (10 * 1000) / 256 + ADVERT_SLACK_MS));
    expect(adverts().map((a) => [a.vhid, a.advbase, a.advskew])).toEqual([
      [4, 1, 10],
      [4, 1, 10],
      [4, 1, 10],
      [4, 1, 10],
    ]);
    const stopping = daemon.stop();
    await vi.advanceTimersByTimeAsync(200);
    await stopping;
  });

  it('with state sync: commits before the VIPs are added, resumes after, and reports BACKUP when the last master leaves', async () => {
    const { daemon, calls } = setup(dir);
    const hooks = {
      beforeVips: async () => void calls.push('state-sync commit'),
      afterVips: () => void calls.push('state-sync after'),
      stateChanged: (old: string, next: string, mastersLeft: number) => void calls.push(`state-sync ${old}->${next} masters ${mastersLeft}`),
      status: () => ({ ready: true }) as never,
      resync: async () => ({ ok: true, message: 'resync requested' }),
    };
    daemon.attachStateSync(hooks);
    await daemon.start();
    await vi.advanceTimersByTimeAsync(3100);
    expect(calls.filter((c) => !c.startsWith('stale'))).toEqual(['state-sync INIT->BACKUP masters 0', 'state-sync BACKUP->MASTER masters 1', 'state-sync commit', 'add 10.0.1.1/24', 'state-sync after']);
    expect(await daemon.handle({ cmd: 'state-sync-resync' })).toEqual({ ok: true, message: 'resync requested' });
    const stopping = daemon.stop();
    await vi.advanceTimersByTimeAsync(200);
    await stopping;
    expect(calls).toContain('state-sync MASTER->INIT masters 0');
  });

  it('on stop a master sends a bow-out and removes its VIPs 150 ms later, before stop returns', async () => {
    const { daemon, calls, adverts } = setup(dir);
    await daemon.start();
    await vi.advanceTimersByTimeAsync(3100);
    let stopped = false;
    const stopping = daemon.stop().then(() => (stopped = true));
    expect(adverts().at(-1)).toMatchObject({ advbase: 255, advskew: 255 });
    // Make before break: the VIPs stay while the peer claims them, then go before stop() returns.
    await vi.advanceTimersByTimeAsync(100);
    expect(calls.at(-1)).toBe('add 10.0.1.1/24');
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    await stopping;
    expect(calls.at(-1)).toBe('remove 10.0.1.1/24');
  });
});
