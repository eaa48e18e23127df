// The files a plan writes are what carpd itself accepts: each node's config and VIP list pass carpd's own loader.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../daemon/config/load.js';
import { nodeFiles, SYNC_KEY, VIPS_FILE } from '../../../electron/core/pairing/node-files.js';
import { factsOf, proposePlan } from '../../../electron/core/pairing/plan.js';
import { preflightReport } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'pairing-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fp = (b: string) => Array.from({ length: 32 }, () => b).join(':');
const identities = { primary: { key: 'KEY-1', cert: 'CERT-1', fingerprint: fp('AA') }, secondary: { key: 'KEY-2', cert: 'CERT-2', fingerprint: fp('BB') } };

describe('node files of a plan', () => {
  it('gives each node a carpd config carpd accepts: its own interfaces and advskew, the peer on the sync link, the peer\'s certificate pinned', async () => {
    const report = preflightReport({}, { names: { lan: 'enp3s0', wan: 'enp1s0', sync: 'enp4s0' } });
    const { plan } = await proposePlan(report);
    for (const role of ['primary', 'secondary'] as const) {
      const files = nodeFiles(plan, role, factsOf(report, role), identities);
      expect(files.map((f) => f.path)).toEqual(['/etc/carpd/carpd.json', VIPS_FILE, '/etc/carpd/sync/node.crt', SYNC_KEY]);
      const nodeDir = join(dir, role);
      rmSync(nodeDir, { recursive: true, force: true });
      mkdirSync(nodeDir, { recursive: true });
      for (const f of files.slice(0, 2)) {
        const p = join(nodeDir, f.path.split('/').pop()!);
        writeFileSync(p, f.content);
      }
      const loaded = loadConfigFile(join(nodeDir, 'carpd.json'));
      if (!loaded.ok) throw new Error(loaded.error.message);
      const c = loaded.config;
      const other = role === 'primary' ? 'secondary' : 'primary';
      expect(c.vhids.map((v) => [v.vhid, v.interface, v.advskew, v.vips])).toEqual(plan.vips.map((v) => [v.vhid, v.interfaces[role], plan.advskew[role], v.vips]));
      expect(c.stateSync).toMatchObject({ interface: plan.sync.interfaces[role], peer: plan.sync.addresses[other], address: plan.sync.addresses[role] });
      expect(c.configSync).toMatchObject({ role: role === 'primary' ? 'source' : 'receiver', listen: plan.sync.addresses[role], peer: { address: plan.sync.addresses[other], fingerprint: identities[other].fingerprint } });
      expect(c.configSync?.overrides.jsonOverlay[VIPS_FILE]).toEqual({ '/vhids/*/advskew': plan.advskew[role] });
      expect(c.configSync?.overrides.interfaces).toEqual({ lan: plan.vips[0].interfaces[role], wan: plan.vips[1].interfaces[role], sync: plan.sync.interfaces[role] });
    }
  });

  it('a plan with one more VIP group changes only the VIP list, not carpd\'s config (so a re-pair that adds one only reloads)', async () => {
    const report = preflightReport();
    const { plan } = await proposePlan(report);
    const more = { ...plan, vips: [...plan.vips, { ...plan.vips[0], vhid: 200, vips: ['10.0.1.200/24'] }] };
    for (const role of ['primary', 'secondary'] as const) {
      const [before, after] = [plan, more].map((p) => nodeFiles(p, role, factsOf(report, role), identities));
      expect(after[0].content).toBe(before[0].content);
      expect(after[1].content).not.toBe(before[1].content);
    }
  });

  it('shows the private key as a placeholder, never its content, and leaves the sync parts out when turned off', async () => {
    const report = preflightReport();
    const { plan } = await proposePlan(report);
    const key = nodeFiles(plan, 'primary', factsOf(report, 'primary'), identities).find((f) => f.path === SYNC_KEY)!;
    expect(key.content).toBe('KEY-1');
    expect(key.secret).toMatch(/^\(private key of fw1's config sync certificate: generated on this computer, not shown\)/);
    expect(key.mode).toBe(0o600);
    const bare = nodeFiles({ ...plan, stateSync: false, configSync: false }, 'secondary', factsOf(report, 'secondary'), identities);
    expect(bare.map((f) => f.path)).toEqual(['/etc/carpd/carpd.json', VIPS_FILE]);
    expect(Object.keys(JSON.parse(bare[0].content))).toEqual(['node', 'controlSocket', 'vhidsFile']);
  });
});
