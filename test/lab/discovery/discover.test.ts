// carpdeck discover from a "laptop" on a segment with a ucarp pair, a keepalived VRRPv3 pair, a VRRP router that
// collides with the ucarp vhid, and (when carpd is built) a carpd pair: every group with the right master and
// vendor, the collision, a failover as it happens, the capture surviving its interface going down and up, and a
// clear error when the user may not capture.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoveredGroup, DiscoveryEvent, DiscoverySnapshot } from '../../../shared/discovery/types.js';
import {
  carpdUnavailableReason,
  repoRoot,
  startCarpd,
  startKeepalived,
  startUcarp,
  waitFor,
  type Carpd,
  type LabNode,
  type LabProcess,
  type Ucarp,
} from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';
import { buildApp, bundle, chromiumIn } from './app.js';

const skip = requireRoot(['ucarp', 'keepalived', 'setpriv', 'tshark']);
const carpdMissing = carpdUnavailableReason();
const CLI = join(repoRoot, 'dist', 'cli', 'carpdeck.cjs');

const ADDR = { u1: '10.0.1.2', u2: '10.0.1.3', k1: '10.0.1.4', k2: '10.0.1.5', isp: '10.0.1.6', c1: '10.0.1.7', c2: '10.0.1.8', laptop: '10.0.1.100' } as const;

type Line = ({ type: 'event' } & DiscoveryEvent) | ({ type: 'snapshot' } & DiscoverySnapshot);

function lines(p: LabProcess): Line[] {
  return p
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
}

const group = (s: DiscoverySnapshot, id: string): DiscoveredGroup | undefined => s.groups.find((g) => g.id === id);

describe.skipIf(skip)('carpdeck discover on a lab segment', () => {
  const nodes: Record<string, LabNode> = {};
  let ucarp1: Ucarp;
  const carpd: Carpd[] = [];

  const lab = useLab('discover', async (l) => {
    await bundle();
    const lan = await l.bridge('lan');
    for (const [name, addr] of Object.entries(ADDR)) {
      nodes[name] = await l.node(name, { mountNs: name === 'c1' || name === 'c2' });
      await l.link(nodes[name], lan, { ifname: 'lan', addrs: [`${addr}/24`] });
    }
    ucarp1 = startUcarp(l, nodes.u1, { ifname: 'lan', srcip: ADDR.u1, vhid: 11, password: 'pw11', vip: '10.0.1.1/24', advskew: 0 });
    startUcarp(l, nodes.u2, { ifname: 'lan', srcip: ADDR.u2, vhid: 11, password: 'pw11', vip: '10.0.1.1/24', advskew: 100 });
    startKeepalived(l, nodes.k1, { ifname: 'lan', vrid: 20, priority: 200, vips: ['10.0.1.20/24'], version: 3 });
    startKeepalived(l, nodes.k2, { ifname: 'lan', vrid: 20, priority: 100, vips: ['10.0.1.20/24'], version: 3 });
    startKeepalived(l, nodes.k1, { ifname: 'lan', vrid: 21, priority: 200, vips: ['2001:db8:1::21/64'], version: 3 });
    startKeepalived(l, nodes.k2, { ifname: 'lan', vrid: 21, priority: 100, vips: ['2001:db8:1::21/64'], version: 3 });
    // keepalived restarts its advertisement timer on every packet it receives for its VRID, even ucarp's CARP it
    // rejects as too short: at ucarp's 1 s cadence a 1 s keepalived master may never send. 0.5 s always does.
    startKeepalived(l, nodes.isp, { ifname: 'lan', vrid: 11, priority: 100, vips: ['10.0.1.30/24'], version: 3, advertInt: 0.5 });
    if (!carpdMissing) {
      const cfg = (node: string, advskew: number) => ({ node, vhids: [{ vhid: 30, interface: 'lan', advbase: 1, advskew, password: 'pw30', vips: ['10.0.1.40/24'], preempt: true }] });
      carpd.push(await startCarpd(l, nodes.c1, cfg('c1', 0)), await startCarpd(l, nodes.c2, cfg('c2', 100)));
      await carpd[0].waitState(30, 'MASTER', 20_000);
    }
    await waitFor('ucarp on u1 to be master', () => /MASTER/.test(ucarp1.proc.output()), 20_000);
  });

  const discover = (args: string[]) => lab().exec(nodes.laptop, [process.execPath, CLI, 'discover', '--interface', 'lan', ...args], { timeoutMs: 30_000 });

  it('shows every group with its master and vendor, and the CARP/VRRP collision on id 11', async () => {
    const k1Mac = JSON.parse((await lab().execOk(nodes.k1, ['ip', '-j', 'link', 'show', 'lan'])).stdout)[0].address as string;
    // keepalived elects after its master-down time: wait until the pair has settled on k1
    await waitFor('keepalived k1 to be master', async () => {
      const r = await discover(['--json', '--duration', '1.5']);
      const s = JSON.parse(r.stdout) as DiscoverySnapshot;
      return group(s, 'vrrp:20')?.master?.address === ADDR.k1 && group(s, 'vrrp:21/ipv6')?.master?.mac === k1Mac;
    }, 30_000, 0);
    const r = await discover(['--json', '--duration', '4']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as DiscoverySnapshot;
    // Only carpd announces itself (beacon); ucarp and keepalived nodes never appear as nodes.
    expect(s.nodes.map((n) => n.name).sort()).toEqual(carpdMissing ? [] : ['c1', 'c2']);
    const carp = group(s, 'carp:11');
    expect(carp).toMatchObject({ kind: 'carp', vhid: 11, advbase: 1, advskew: 0, state: 'advertising' });
    expect(carp?.master).toMatchObject({ address: ADDR.u1, mac: '00:00:5e:00:00:0b' });
    expect(carp?.master?.vendor.id).toBe('ucarp');
    const vrrp = group(s, 'vrrp:20');
    expect(vrrp).toMatchObject({ kind: 'vrrp3', vhid: 20, priority: 200, addresses: ['10.0.1.20'] });
    expect(vrrp?.master?.address).toBe(ADDR.k1);
    expect(vrrp?.master?.vendor.id).toBe('keepalived');
    const v6 = group(s, 'vrrp:21/ipv6');
    expect(v6).toMatchObject({ kind: 'vrrp3', family: 6, priority: 200, addresses: ['2001:db8:1::21'] });
    expect(v6?.master?.address).toMatch(/^fe80::/);
    expect(v6?.master?.mac).toBe(k1Mac);
    expect(group(s, 'vrrp:11')?.master?.address, JSON.stringify(s.groups.map((g) => [g.id, g.state, g.master?.address, g.adverts]))).toBe(ADDR.isp);
    const collision = s.findings.find((f) => f.kind === 'vhid-collision' && f.vhid === 11);
    expect(collision?.message).toContain('CARP');
    expect(collision?.message).toContain('VRRP');
    expect(s.findings.map((f) => f.kind)).not.toContain('no-advertisements');
    expect(carp?.measuredInterval).toBeGreaterThan(0.8);
    expect(carp?.measuredInterval).toBeLessThan(1.3);
  });

  it.skipIf(carpdMissing !== null)('shows the carpd pair\'s master as carpd', async () => {
    const r = await discover(['--json', '--duration', '3']);
    const s = JSON.parse(r.stdout) as DiscoverySnapshot;
    const g = group(s, 'carp:30');
    expect(g?.master?.address).toBe(ADDR.c1);
    expect(g?.master?.vendor.id).toBe('carpd');
  });

  it('prints the groups table and saves the capture as pcapng that TShark and carpdeck analyze read', async () => {
    const file = join(lab().dir, 'discover.pcapng');
    const r = await discover(['--duration', '2.5', '--write', file]);
    expect(r.code, r.stderr).toBe(0);
    const tshark = await lab().exec(nodes.laptop, ['tshark', '-r', file, '-T', 'fields', '-e', 'ip.src', '-Y', 'ip.proto == 112']);
    expect(tshark.code, tshark.stderr).toBe(0);
    expect(tshark.stdout.split('\n')).toContain(ADDR.u1);
    const analyzed = await lab().exec(nodes.laptop, [process.execPath, CLI, 'analyze', file, '--json']);
    const report = JSON.parse(analyzed.stdout) as { groups: { id: string }[] };
    expect(report.groups.map((g) => g.id)).toEqual(expect.arrayContaining(['carp:11', 'vrrp:11', 'vrrp:20']));
    const row = r.stdout.split('\n').find((l) => l.startsWith('carp:11'));
    expect(row).toMatch(new RegExp(`carp:11\\s+ok\\s+${ADDR.u1.replaceAll('.', '\\.')}\\s+00:00:5e:00:00:0b\\s+ucarp\\s+advbase 1 advskew 0`));
    expect(r.stdout).toMatch(/ERROR vhid-collision: ID 11 is used by CARP/);
  });

  it('lists the laptop\'s interfaces with addresses, link state and which one carries HA traffic', async () => {
    const r = await lab().exec(nodes.laptop, [process.execPath, CLI, 'discover', '--list-interfaces', '--probe', '2.5', '--json'], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const { interfaces } = JSON.parse(r.stdout) as { interfaces: { name: string; state: string; addresses: string[]; probe?: { groups: string[]; hint: string } }[] };
    const lan = interfaces.find((i) => i.name === 'lan');
    expect(lan).toMatchObject({ state: 'up', addresses: [`${ADDR.laptop}/24`, expect.stringMatching(/^fe80::/)] });
    expect(lan?.probe?.groups).toEqual(expect.arrayContaining(['carp:11', 'vrrp:11', 'vrrp:20']));
    expect(lan?.probe?.hint).toMatch(/^HA traffic: /);
    expect(interfaces.find((i) => i.name === 'lo')?.probe?.hint).toBe('loopback');
  });

  it.skipIf(!existsSync('/usr/bin/chromium'))('shows the groups, the collision and a carpd failover in the app (carpdeck serve in Chromium)', async () => {
    const app = join(lab().dir, 'app');
    await buildApp(app);
    const serve = lab().spawn(nodes.laptop, [process.execPath, join(app, 'cli', 'carpdeck.cjs'), 'serve'], { env: { NODE_PATH: join(repoRoot, 'node_modules') } });
    const url = (await serve.waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+/, 20_000)).trim();
    const browser = await chromiumIn(lab(), nodes.laptop);
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${url}&view=discovery`);
      await page.getByRole('button', { name: 'Listen on lan' }).click();
      const row = (id: string) => page.locator(`tr[data-group="${id}"]`);
      await row('carp:11').getByText(ADDR.u1).waitFor({ timeout: 10_000 });
      expect(await row('carp:11').textContent()).toContain('ucarp');
      await row('vrrp:20').getByText(ADDR.k1).waitFor({ timeout: 5_000 });
      await row('vrrp:11').getByText(ADDR.isp).waitFor({ timeout: 5_000 });
      await page.locator('[data-kind="vhid-collision"]').first().waitFor({ timeout: 5_000 });
      if (carpd.length === 2) {
        await row('carp:30').getByText(ADDR.c1).waitFor({ timeout: 5_000 });
        // the backup never advertises: it is listed from its carpd beacon
        await row('carp:30').getByText(`backup: c2 (${ADDR.c2})`).waitFor({ timeout: 5_000 });
        await page.locator('li[data-node="c2"]', { hasText: 'vhid 30 backup' }).waitFor({ timeout: 5_000 });
        await lab().linkDown(nodes.c1, 'lan');
        const failover = page.locator('.event.failover', { hasText: 'carp:30' });
        await failover.waitFor({ timeout: 15_000 });
        expect(await failover.textContent()).toContain(ADDR.c2);
        await row('carp:30').getByText(ADDR.c2).waitFor({ timeout: 5_000 });
        await page.screenshot({ path: join(lab().dir, 'discovery.png'), fullPage: true });
        await lab().linkUp(nodes.c1, 'lan');
        await carpd[0].waitState(30, 'MASTER', 20_000);
      }
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await serve.stop('SIGINT');
    }
  });

  it('reports a failover the moment the backup takes over, and keeps capturing across the interface going down and up', async () => {
    const follow = lab().spawn(nodes.laptop, [process.execPath, CLI, 'discover', '--interface', 'lan', '--json', '--follow', '--duration', '40']);
    const snapshots = () => lines(follow).filter((l): l is Extract<Line, { type: 'snapshot' }> => l.type === 'snapshot');
    const events = () => lines(follow).filter((l): l is Extract<Line, { type: 'event' }> => l.type === 'event');
    await waitFor('the ucarp master in the live view', () => snapshots().some((s) => group(s, 'carp:11')?.master?.address === ADDR.u1), 10_000);

    const killedAt = Date.now() / 1000;
    ucarp1.proc.kill('SIGKILL');
    const failover = await waitFor('a failover event', () => events().find((e) => e.kind === 'master' && e.group === 'carp:11' && e.to === ADDR.u2), 15_000);
    expect(failover).toMatchObject({ from: ADDR.u1, cause: 'takeover-after-silence' });
    expect(failover.time).toBeGreaterThan(killedAt);
    await waitFor('the new master in a snapshot', () => snapshots().some((s) => s.time > failover.time && group(s, 'carp:11')?.master?.address === ADDR.u2), 5_000);

    await lab().execOk(nodes.laptop, ['ip', 'link', 'set', 'lan', 'down']);
    await waitFor('interface-down', () => events().some((e) => e.kind === 'capture' && e.code === 'interface-down'), 5_000);
    await lab().execOk(nodes.laptop, ['ip', 'link', 'set', 'lan', 'up']);
    const back = await waitFor('capturing again', () => events().find((e) => e.kind === 'capture' && e.code === 'capturing' && /again/.test(e.message)), 10_000);
    await waitFor('advertisements after the interface came back', () => snapshots().some((s) => (group(s, 'carp:11')?.lastSeen ?? 0) > back.time), 5_000);

    await lab().linkDown(nodes.laptop, 'lan');
    await waitFor('no-carrier', () => events().some((e) => e.kind === 'capture' && e.code === 'no-carrier'), 5_000);
    await lab().linkUp(nodes.laptop, 'lan');
    await waitFor('carrier', () => events().some((e) => e.kind === 'capture' && e.code === 'carrier'), 5_000);
    const relinked = Date.now() / 1000;
    await waitFor('advertisements after the cable came back', () => snapshots().some((s) => (group(s, 'carp:11')?.lastSeen ?? 0) > relinked), 8_000);
    await follow.stop('SIGINT');
    expect(follow.running).toBe(false);
  });

  it('explains a capture-permission error with the capability fix instead of failing silently', async () => {
    const r = await lab().exec(nodes.laptop, ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'discover', '--interface', 'lan', '--duration', '1'], { timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no permission to capture on lan');
    expect(r.stderr).toContain('cap_net_raw,cap_net_admin');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
