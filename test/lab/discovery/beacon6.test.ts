// carpd beacons over IPv6: a carpd pair with an IPv6-only vhid on a segment where nobody has an IPv4 address, and a
// laptop in a third namespace running `carpdeck discover`: it lists both nodes, the backup (which never
// advertises) included, from their IPv6 beacons (sent from the link-local address to ff02::4344:424b), verified
// with the vhid's password, and names the backup in the IPv6 CARP group's row.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoveredNode, DiscoverySnapshot } from '../../../shared/discovery/types.js';
import { carpdUnavailableReason, repoRoot, startCarpd, type Carpd, type LabNode } from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';
import { bundle } from './app.js';

const skip = requireRoot() || carpdUnavailableReason() !== null;
const CLI = join(repoRoot, 'dist', 'cli', 'carpdeck.cjs');
const ADDR = { s1: 'fd00:6::2', s2: 'fd00:6::3', laptop: 'fd00:6::100' } as const;
const VHID = 41;

describe.skipIf(skip)('carpd beacons over IPv6 in carpdeck discover', () => {
  const nodes: Record<string, LabNode> = {};
  const linkLocal: Record<string, string> = {};
  const carpd: Carpd[] = [];

  const lab = useLab('bcn6', async (l) => {
    await bundle(undefined, { daemon: true });
    const lan = await l.bridge('lan');
    for (const [name, addr] of Object.entries(ADDR)) {
      nodes[name] = await l.node(name);
      await l.link(nodes[name], lan, { ifname: 'lan', addrs: [`${addr}/64`] });
      const r = await l.execOk(nodes[name], ['ip', '-6', '-o', 'addr', 'show', 'dev', 'lan', 'scope', 'link']);
      const ll = /inet6 (fe80::[0-9a-f:]+)\//.exec(r.stdout)?.[1];
      if (!ll) throw new Error(`no link-local address on ${name}: ${r.stdout}`);
      linkLocal[name] = ll;
    }
    const cfg = (node: string, advskew: number) => ({
      node,
      vhids: [{ vhid: VHID, interface: 'lan', advbase: 1, advskew, password: 'pw41', vips: ['fd00:6::1/64'], preempt: true }],
    });
    carpd.push(await startCarpd(l, nodes.s1, cfg('s1', 0)), await startCarpd(l, nodes.s2, cfg('s2', 100)));
    await carpd[0].waitState(VHID, 'MASTER', 20_000);
    await carpd[1].waitState(VHID, 'BACKUP', 20_000);
  });

  const node = (s: DiscoverySnapshot, name: string): DiscoveredNode | undefined => s.nodes.find((n) => n.name === name);

  it('the segment has no IPv4 at all, so only IPv6 beacons can reach the laptop', async () => {
    for (const n of Object.values(nodes)) {
      const r = await lab().execOk(n, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'lan']);
      expect(r.stdout.trim()).toBe('');
    }
    const st = await carpd[1].ctl(['status']);
    expect(st.stdout).toContain(`on lan from ${linkLocal.s2};`);
    expect(st.stdout).toContain('[ff02::4344:424b]:6768');
  });

  it('lists both carpd nodes, the BACKUP included, from their IPv6 beacons, verified, in the IPv6 group\'s row', async () => {
    const r = await lab().exec(nodes.laptop, [process.execPath, CLI, 'discover', '--interface', 'lan', '--json', '--duration', '3', '--secret', `${VHID}:pw41`], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as DiscoverySnapshot;
    expect(node(s, 's2')).toMatchObject({ address: linkLocal.s2, address6: linkLocal.s2, vhids: [{ vhid: VHID, role: 'backup' }], verified: true });
    expect(node(s, 's1')).toMatchObject({ address: linkLocal.s1, address6: linkLocal.s1, vhids: [{ vhid: VHID, role: 'master' }], verified: true });
    const g = s.groups.find((x) => x.id === `carp:${VHID}/ipv6`);
    expect(g?.family).toBe(6);
    expect(g?.master?.address).toBe(linkLocal.s1);
    expect(g?.backups).toEqual([{ node: 's2', address: linkLocal.s2, verified: true }]);
  });

  it('the text view tells where to SSH to the backup with the link-local address and the interface as its zone', async () => {
    const r = await lab().exec(nodes.laptop, [process.execPath, CLI, 'discover', '--interface', 'lan', '--duration', '2.5'], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`s2 ${linkLocal.s2} v0.1.0 vhid ${VHID} backup ssh [${linkLocal.s2}%lan]:22 UNVERIFIED`);
  });
});
