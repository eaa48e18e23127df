// Two real keepalived nodes (VRRPv2) whose settings differ each drop the other's adverts and both stay MASTER; a
// capture of the segment must make `carpdeck analyze --json` report the split brain with its cause. TShark is the
// reference for what is on the wire. The control pair with identical settings elects one master and no finding.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../../shared/analysis/types.js';
import { buildPair, LAN, sleep, startKeepalived, waitFor, type KeepalivedOptions, type PairTopology } from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';
import { analyse } from '../interop/analyse.js';

const VIP = '10.0.1.51';
/** fw2's master-down interval at priority 100 is 3.61 s (6.61 s at advert_int 2); then a few adverts of both. */
const AFTER_SECOND_START_MS = 6500;
const AFTER_SECOND_START_SLOW_MS = 9500;

interface Recorded {
  file: string;
  /** Whether fw1 and fw2 held the VIP at the end. */
  held: [boolean, boolean];
  logs: [string, string];
  report: AnalysisReport;
}

interface TsharkAdvert {
  src: string;
  vrid: number;
  authType: number;
  authString: string;
}

/** `tshark -r FILE -Y vrrp` with the fields that matter here. */
function tsharkVrrp(file: string): TsharkAdvert[] {
  const fields = ['ip.src', 'vrrp.virt_rtr_id', 'vrrp.auth_type', 'vrrp.auth_string'];
  const r = spawnSync('tshark', ['-r', file, '-Y', 'vrrp', '-T', 'fields', '-E', 'separator=/t', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark -r ${file} exited ${r.status}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [src, vrid, authType, authString] = l.split('\t');
      return { src, vrid: Number(vrid), authType: Number(authType), authString: authString ?? '' };
    });
}

const splitBrains = (r: AnalysisReport, vrid: number) => r.findings.filter((f) => f.kind === 'split-brain' && f.vhid === vrid);

describe.skipIf(requireRoot(['keepalived', 'tshark', 'tcpdump']))('keepalived VRRPv2 pairs with mismatched settings, captured and analysed', () => {
  let t: PairTopology;
  const lab = useLab('avr', async (l) => {
    t = await buildPair(l);
  });

  const holds = async (node: PairTopology['fw1']) => (await lab().addresses(node, 'lan')).includes(VIP);

  /** fw1 (priority 150) becomes master first, then fw2 (priority 100) starts; the client captures protocol 112. */
  async function record(name: string, vrid: number, a: Partial<KeepalivedOptions>, b: Partial<KeepalivedOptions>, afterMs = AFTER_SECOND_START_MS): Promise<Recorded> {
    const file = join(lab().dir, `${name}.pcap`);
    const cap = await lab().capture(t.client, 'lan', file, 'ip proto 112');
    const common = { ifname: 'lan', vrid, vips: [`${VIP}/24`] };
    const ka1 = startKeepalived(lab(), t.fw1, { ...common, priority: 150, ...a });
    let ka2: ReturnType<typeof startKeepalived> | undefined;
    try {
      await waitFor(`keepalived on fw1 to hold ${VIP}`, () => holds(t.fw1), 15_000, 100);
      ka2 = startKeepalived(lab(), t.fw2, { ...common, priority: 100, ...b });
      await sleep(afterMs);
      const held: [boolean, boolean] = [await holds(t.fw1), await holds(t.fw2)];
      await cap.stop();
      const logs: [string, string] = [ka1.output(), ka2.output()];
      return { file, held, logs, report: await analyse(file) };
    } finally {
      await cap.stop();
      await Promise.all([ka1.stop(), ka2?.stop()]);
    }
  }

  it('different auth_pass: both hold the VIP, both advertise, and the analysis reports the split brain with the password as its cause', async () => {
    const r = await record('password', 51, { password: 'alpha' }, { password: 'bravo' });
    expect(r.held).toEqual([true, true]);
    expect(r.logs[1]).toContain('received an invalid passwd');

    const wire = tsharkVrrp(r.file).filter((x) => x.vrid === 51);
    expect(new Set(wire.map((x) => x.src))).toEqual(new Set([LAN.fw1, LAN.fw2]));
    expect(wire.every((x) => x.authType === 1)).toBe(true);
    expect(new Set(wire.map((x) => x.authString))).toEqual(new Set(['alpha', 'bravo']));
    expect(r.report.adverts.filter((x) => x.vhid === 51)).toHaveLength(wire.length);

    const sb = splitBrains(r.report, 51);
    expect(sb).toHaveLength(1);
    expect(sb[0].severity).toBe('error');
    expect(sb[0].message).toMatch(/^Split brain: 2 masters for VRRP VRID 51 on this segment/);
    expect(sb[0].message).toContain(LAN.fw1);
    expect(sb[0].message).toContain(LAN.fw2);
    expect(sb[0].message).toContain('password');
    expect(sb[0].message).not.toMatch(/alpha|bravo/);
    expect(sb[0].fix).toContain('auth_pass');
    expect(sb[0].fix).toContain('received an invalid passwd');
  });

  it('authentication on one node only: both hold the VIP and the analysis names the auth type as the cause', async () => {
    const r = await record('auth-one-side', 52, { password: 'alpha' }, {});
    expect(r.held).toEqual([true, true]);
    expect(r.logs[1]).toMatch(/received a 1 auth, expecting 0/);
    const wire = tsharkVrrp(r.file).filter((x) => x.vrid === 52);
    expect(new Set(wire.map((x) => `${x.src} ${x.authType}`))).toEqual(new Set([`${LAN.fw1} 1`, `${LAN.fw2} 0`]));
    const sb = splitBrains(r.report, 52);
    expect(sb).toHaveLength(1);
    expect(sb[0].message).toContain(`${LAN.fw1} sends a simple-text password, ${LAN.fw2} no authentication`);
  });

  it('different virtual_ipaddress lists: both hold the VIP and the analysis names both address lists', async () => {
    const r = await record('vips', 54, {}, { vips: [`${VIP}/24`, '10.0.1.52/24'] });
    expect(r.held).toEqual([true, true]);
    expect(r.logs[1]).toContain('received an unexpected ip number count 1, expected 2');
    expect(new Set(tsharkVrrp(r.file).filter((x) => x.vrid === 54).map((x) => x.src))).toEqual(new Set([LAN.fw1, LAN.fw2]));
    const sb = splitBrains(r.report, 54);
    expect(sb).toHaveLength(1);
    expect(sb[0].message).toContain(`the virtual addresses (${LAN.fw1}: ${VIP}; ${LAN.fw2}: ${VIP}, 10.0.1.52)`);
    expect(sb[0].fix).toContain('virtual_ipaddress');
  });

  it('different advert_int: both hold the VIP and the analysis names both intervals', async () => {
    const r = await record('interval', 55, {}, { advertInt: 2 }, AFTER_SECOND_START_SLOW_MS);
    expect(r.held).toEqual([true, true]);
    expect(r.logs[1]).toContain('advertisement interval mismatch mine=2 sec');
    const sb = splitBrains(r.report, 55);
    expect(sb).toHaveLength(1);
    expect(sb[0].message).toContain(`the advertisement interval (${LAN.fw1} 1 s, ${LAN.fw2} 2 s)`);
    expect(sb[0].fix).toContain('advert_int');
  });

  it('different virtual_router_id: both hold the VIP and the analysis reports two masters for the address', async () => {
    const r = await record('vrid', 56, {}, { vrid: 57 });
    expect(r.held).toEqual([true, true]);
    const wire = tsharkVrrp(r.file);
    expect(new Set(wire.map((x) => `${x.src} ${x.vrid}`))).toEqual(new Set([`${LAN.fw1} 56`, `${LAN.fw2} 57`]));
    const sb = r.report.findings.filter((f) => f.kind === 'split-brain');
    expect(sb).toHaveLength(1);
    expect(sb[0].message).toContain(`${LAN.fw1} advertises it as master of VRRP VRID 56 and ${LAN.fw2} as master of VRID 57`);
    expect(sb[0].fix).toContain('virtual_router_id');
  });

  it('control, the same auth_pass: fw2 stays backup and never advertises, and no split brain is reported', async () => {
    const r = await record('same-password', 53, { password: 'alpha' }, { password: 'alpha' });
    expect(r.held).toEqual([true, false]);
    const wire = tsharkVrrp(r.file).filter((x) => x.vrid === 53);
    expect(wire.length).toBeGreaterThanOrEqual(5);
    expect(new Set(wire.map((x) => x.src))).toEqual(new Set([LAN.fw1]));
    expect(splitBrains(r.report, 53)).toEqual([]);
    expect(r.report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
