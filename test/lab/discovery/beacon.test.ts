// carpd beacons on a lab segment: a laptop running `carpdeck discover` lists both carpd nodes, the backup (which
// never advertises) included, with version, role, SSH port and management address, verified with the vhid's
// password; after the master's link is cut the former backup announces itself master.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoveredNode, DiscoverySnapshot } from '../../../shared/discovery/types.js';
import { carpdUnavailableReason, repoRoot, startCarpd, waitFor, type Carpd, type LabNode } from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';
import { bundle } from './app.js';

const skip = requireRoot() || carpdUnavailableReason() !== null;
const CLI = join(repoRoot, 'dist', 'cli', 'carpdeck.cjs');
const ADDR = { b1: '10.0.7.2', b2: '10.0.7.3', laptop: '10.0.7.100' } as const;
const VHID = 40;

describe.skipIf(skip)('carpd beacons in carpdeck discover', () => {
  const nodes: Record<string, LabNode> = {};
  const carpd: Carpd[] = [];

  const lab = useLab('beacon', async (l) => {
    await bundle(undefined, { daemon: true });
    const lan = await l.bridge('lan');
    for (const [name, addr] of Object.entries(ADDR)) {
      nodes[name] = await l.node(name);
      await l.link(nodes[name], lan, { ifname: 'lan', addrs: [`${addr}/24`] });
    }
    const cfg = (node: string, advskew: number, beacon: Record<string, unknown>) => ({
      node,
      beacon,
      vhids: [{ vhid: VHID, interface: 'lan', advbase: 1, advskew, password: 'pw40', vips: ['10.0.7.1/24'], preempt: true }],
    });
    carpd.push(await startCarpd(l, nodes.b1, cfg('b1', 0, {})), await startCarpd(l, nodes.b2, cfg('b2', 100, { sshPort: 2222, managementAddress: '192.168.77.3' })));
    await carpd[0].waitState(VHID, 'MASTER', 20_000);
    await carpd[1].waitState(VHID, 'BACKUP', 20_000);
  });

  const discover = (args: string[]) => lab().exec(nodes.laptop, [process.execPath, CLI, 'discover', '--interface', 'lan', '--json', ...args], { timeoutMs: 30_000 });
  const node = (s: DiscoverySnapshot, name: string): DiscoveredNode | undefined => s.nodes.find((n) => n.name === name);

  it('lists the BACKUP, which never advertises, within a few seconds, verified with the vhid password', async () => {
    const r = await discover(['--duration', '3', '--secret', `${VHID}:pw40`]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as DiscoverySnapshot;
    expect(node(s, 'b2')).toMatchObject({ address: ADDR.b2, version: '0.1.0', sshPort: 2222, managementAddress: '192.168.77.3', vhids: [{ vhid: VHID, role: 'backup' }], verified: true });
    expect(node(s, 'b1')).toMatchObject({ address: ADDR.b1, sshPort: 22, vhids: [{ vhid: VHID, role: 'master' }], verified: true });
    expect(node(s, 'b1')?.managementAddress).toBeUndefined();
    const g = s.groups.find((x) => x.id === `carp:${VHID}`);
    expect(g?.master?.address).toBe(ADDR.b1);
    expect(g?.backups).toEqual([{ node: 'b2', address: ADDR.b2, verified: true }]);
  });

  it('marks the nodes unverified without the password, or with a wrong one', async () => {
    for (const args of [[], ['--secret', `${VHID}:wrong`]]) {
      const r = await discover(['--duration', '2.5', ...args]);
      const s = JSON.parse(r.stdout) as DiscoverySnapshot;
      expect(s.nodes.map((n) => [n.name, n.verified]).sort(), args.join(' ')).toEqual([
        ['b1', false],
        ['b2', false],
      ]);
    }
  });

  it('prints the carpd nodes in the text view (one line per node for its IPv4 and IPv6 beacons) with where to SSH and whether they verified', async () => {
    const r = await lab().exec(nodes.laptop, [process.execPath, CLI, 'discover', '--interface', 'lan', '--duration', '2.5', '--secret', `${VHID}:pw40`], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`carpd nodes:[\\s\\S]*  b2 10\\.0\\.7\\.3 \\(fe80::[0-9a-f:]+\\) v0\\.1\\.0 vhid ${VHID} backup ssh 192\\.168\\.77\\.3:2222 verified`));
  });

  it('shows the beacon in carpctl status', async () => {
    const r = await carpd[1].ctl(['status']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/beacon: on, every 1 s to 239\.255\.67\.68:6768 and \[ff02::4344:424b\]:6768 on lan from 10\.0\.7\.3 and fe80::[0-9a-f:]+; SSH port 2222, management 192\.168\.77\.3; \d+ sent/);
  });

  it('the former backup announces itself master right after the master\'s link is cut', async () => {
    await lab().linkDown(nodes.b1, 'lan');
    try {
      await carpd[1].waitState(VHID, 'MASTER', 10_000);
      const r = await discover(['--duration', '2']);
      const s = JSON.parse(r.stdout) as DiscoverySnapshot;
      expect(node(s, 'b2')?.vhids).toEqual([{ vhid: VHID, role: 'master' }]);
    } finally {
      await lab().linkUp(nodes.b1, 'lan');
    }
    await waitFor('b1 master again', async () => (await carpd[0].state(VHID)) === 'MASTER', 20_000);
  });
});
