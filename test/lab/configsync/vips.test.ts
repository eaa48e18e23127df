import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { carpdUnavailableReason, type Lab } from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';
import { inNs, startSyncPair, VIPS, vipsFile, type SyncPair } from './pair.js';

// The "vips" section carries carpd's own vhidsFile: a VIP change made on the source reaches the receiver's carpd.

let pair: SyncPair;

describe.skipIf(requireRoot(['nft', 'openssl']) || carpdUnavailableReason() !== null)('config sync of carpd VIP definitions (vhidsFile)', () => {
  useLab('cfgvips', async (l: Lab) => {
    // Only carpctl pushes here, so the assertions see exactly what was pushed.
    pair = await startSyncPair(l, { vips: true, debounceMs: 60_000, checkInterval: 3600 });
  });

  const vhid51 = async (i: 0 | 1) => (await pair.carpds[i].status()).vhids.find((v) => v.vhid === 51);

  it('a VIP change pushed from fw1 is reloaded by fw2 carpd, which keeps its own interface and advskew', async () => {
    expect(await vhid51(1)).toMatchObject({ interface: 'ens9', advbase: 1, advskew: 100, vips: ['10.0.3.1/24'] });
    writeFileSync(inNs(pair.fw1, VIPS), vipsFile('eth7', 0, { advbase: 2, vips: ['10.0.3.1/24', '10.0.3.5/24'] }));
    expect((await pair.carpds[0].ctl(['reload'])).stdout).toContain('restarted 51@eth7');
    const push = await pair.carpds[0].ctl(['sync-config', 'push']);
    expect(push.stdout).toContain('applied on the peer:');
    expect(push.stdout).toContain('vips');
    expect(await vhid51(1)).toMatchObject({ interface: 'ens9', advbase: 2, advskew: 100, vips: ['10.0.3.1/24', '10.0.3.5/24'] });
    expect(JSON.parse(readFileSync(inNs(pair.fw2, VIPS), 'utf8')).vhids[0]).toMatchObject({ interface: 'ens9', advskew: 100, advbase: 2 });
    const s = JSON.parse((await pair.carpds[1].ctl(['status', '--json'])).stdout);
    expect(s.configSync.sections.find((x: { name: string }) => x.name === 'vips')).toMatchObject({ state: 'in-sync' });
  });

  it('a vhids file fw2 carpd refuses is rolled back there and the push reports why', async () => {
    const before = readFileSync(inNs(pair.fw2, VIPS), 'utf8');
    writeFileSync(inNs(pair.fw1, VIPS), vipsFile('eth7', 0, { advbase: 2, vips: ['10.0.3.7'] }));
    const push = await pair.carpds[0].ctl(['sync-config', 'push']);
    expect(push.code).toBe(1);
    expect(push.stderr).toContain('vhids[0].vips[0]: must be an IPv4 or IPv6 address with prefix length');
    expect(readFileSync(inNs(pair.fw2, VIPS), 'utf8')).toBe(before);
    expect(await vhid51(1)).toMatchObject({ advbase: 2, vips: ['10.0.3.1/24', '10.0.3.5/24'] });
  });
});
