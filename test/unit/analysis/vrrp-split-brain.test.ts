import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/analysis/analyzer.js';
import type { AnalysisReport } from '../../../shared/analysis/types.js';
import { CaptureReader } from '../../../shared/capture/reader.js';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import { Feeder, type VrrpOpts } from './capture-builder.js';

const A = '10.0.1.2';
const B = '10.0.1.3';
const VIP = '10.0.1.51';

type Advert = [number, VrrpOpts];

/** Feeds the adverts in time order, as a capture would hold them. */
function run(adverts: Advert[]): AnalysisReport {
  const f = new Feeder(createAnalyzer());
  for (const [t, o] of [...adverts].sort((x, y) => x[0] - y[0])) f.vrrp(t, o);
  return f.analyzer.finish();
}

/** Adverts every `interval` s from `from` up to (not including) `to`. */
function every(from: number, to: number, o: VrrpOpts, interval = 1): Advert[] {
  const out: Advert[] = [];
  for (let t = from; t < to - 1e-9; t += interval) out.push([t, o]);
  return out;
}

const splitBrains = (r: AnalysisReport) => r.findings.filter((x) => x.kind === 'split-brain');

describe('VRRP split brain from mismatched settings', () => {
  const a = { src: A, vrid: 51, priority: 150, addresses: [VIP], password: 'alpha' };
  const b = { src: B, vrid: 51, priority: 100, addresses: [VIP], password: 'bravo' };

  it('reports two masters when the passwords differ, though their adverts take turns (keepalived postpones its own on each one it drops)', () => {
    // A advertises alone, B comes up and takes turns with A: never both within 1.5 intervals for long.
    const r = run([...every(0, 3, a), ...every(3.2, 6, b), ...every(6.1, 9, a), ...every(9.3, 12, b)]);
    const sb = splitBrains(r);
    expect(sb).toHaveLength(1);
    expect(sb[0]).toMatchObject({ severity: 'error', vhid: 51, group: 'vrrp:51' });
    expect(sb[0].message).toMatch(/^Split brain: 2 masters for VRRP VRID 51 on this segment/);
    expect(sb[0].message).toContain(A);
    expect(sb[0].message).toContain(B);
    expect(sb[0].message).toContain('password');
    expect(sb[0].message).not.toMatch(/alpha|bravo/);
    expect(sb[0].time).toBeCloseTo(r.capture.firstTime! + 3.2, 6);
    // the overlap: from A's advert before B's first one to the last advert of the contention
    expect(sb[0].message).toContain('side by side for 9.3 s, from 2023-11-14T22:13:22.000Z to 2023-11-14T22:13:31.300Z');
    expect(sb[0].fix).toContain('auth_pass');
    expect(sb[0].fix).toContain('received an invalid passwd');
  });

  it('reports a single advert of a second master with another password, sent between the first master\'s', () => {
    const r = run([...every(0, 10, a), [4.25, b]]);
    const sb = splitBrains(r);
    expect(sb).toHaveLength(1);
    expect(sb[0].message).toContain(`${B} (1 advertisement)`);
    expect(sb[0].frames[0]).toBe(6);
  });

  it('reports a second master with another password whose adverts silence the first one on the wire (it still holds the VIP)', () => {
    // B's first advert comes 0.68 s after A's: no backup that accepted A's adverts would send it. A, dropping B's
    // adverts but postponing its own on each, stays quiet for the rest of the capture.
    const r = run([...every(0, 4, a), ...every(3.68, 10, b)]);
    const sb = splitBrains(r);
    expect(sb).toHaveLength(1);
    // B's adverts while A still counted as master (4 of its intervals after its last one)
    expect(sb[0].message).toContain(`${A} (1 advertisement) and ${B} (4 advertisements)`);
    expect(sb[0].message).toContain('fall quiet on the wire');
  });

  it('names authentication on one node only as the difference', () => {
    const r = run([...every(0, 8, a), ...every(0.4, 8, { ...b, password: undefined })]);
    const sb = splitBrains(r);
    expect(sb).toHaveLength(1);
    expect(sb[0].message).toContain(`${A} sends a simple-text password, ${B} no authentication`);
    expect(sb[0].fix).toContain('received a 0 auth, expecting 1!');
  });

  it('names the differing VIP lists, and the fix lists the same virtual_ipaddress entries on both', () => {
    const same = { ...b, password: 'alpha' };
    const r = run([...every(0, 4, a), ...every(4.3, 6, { ...same, addresses: [VIP, '10.0.1.52'] }), ...every(6.2, 8, a)]);
    const sb = splitBrains(r);
    expect(sb).toHaveLength(1);
    expect(sb[0].message).toContain(`the virtual addresses (${A}: ${VIP}; ${B}: ${VIP}, 10.0.1.52)`);
    expect(sb[0].message).not.toContain('password');
    expect(sb[0].fix).toContain('virtual_ipaddress');
    expect(sb[0].fix).not.toContain('auth_pass');
  });

  it('names a different VRRPv2 advertisement interval', () => {
    const same = { ...b, password: 'alpha' };
    const r = run([...every(0, 10, a), ...every(5.5, 10, { ...same, intervalCs: 200 }, 2)]);
    const sb = splitBrains(r);
    expect(sb).toHaveLength(1);
    expect(sb[0].message).toContain(`the advertisement interval (${A} 1 s, ${B} 2 s)`);
    expect(sb[0].fix).toContain('advert_int');
  });

  it('does not count a VRRPv3 interval difference (backups adopt the master\'s) as a cause, where VRRPv2 does', () => {
    // B preempts with a higher priority and a longer interval; A sends one more advert and becomes backup.
    const preemption = (version: 2 | 3) => {
      const v = { vrid: 51, addresses: [VIP], version };
      return run([...every(0, 6.2, { ...v, src: A, priority: 150 }), ...every(5.5, 15, { ...v, src: B, priority: 200, intervalCs: 200 }, 2)]);
    };
    expect(splitBrains(preemption(3))).toEqual([]);
    expect(splitBrains(preemption(2))[0].message).toContain('advertisement interval');
  });
});

describe('VRRP handovers that are not a split brain', () => {
  const a = { src: A, vrid: 51, priority: 150, addresses: [VIP], password: 'same' };
  const b = { src: B, vrid: 51, priority: 100, addresses: [VIP], password: 'same' };

  it('does not report a graceful handover (priority 0, then the backup after its skew time)', () => {
    const r = run([...every(0, 10, a), [10, { ...a, priority: 0 }], ...every(10.61, 20, b)]);
    expect(splitBrains(r)).toEqual([]);
    expect(r.groups[0].changes.map((c) => c.to)).toEqual([A, B]);
  });

  it('does not report a preemption where the old master sends one more advert', () => {
    const r = run([...every(0, 10, b), [9.7, a], [10, b], ...every(10.7, 20, a)]);
    expect(splitBrains(r)).toEqual([]);
  });

  it('does not report a crash takeover after the master-down interval, even with mismatched settings', () => {
    const r = run([...every(0, 10, a), ...every(12.61, 20, { ...b, password: 'other' })]);
    expect(splitBrains(r)).toEqual([]);
  });

  it('does not report a chain of preemptions, each router preempting the last one within an interval', () => {
    // As in the tcpdump project's vrrp.pcap: 10 s interval, a router of higher priority every ~30-50 s.
    const adverts: Advert[] = [];
    let t = 0;
    for (let i = 0; i < 6; i++) {
      adverts.push(...every(t, t + 30, { src: `10.0.0.${91 + i}`, vrid: 42, priority: 191 + i, intervalCs: 1000, addresses: [VIP] }, 10));
      t += 28;
    }
    expect(splitBrains(run(adverts))).toEqual([]);
  });

  it('finds no split brain in the tcpdump project\'s public VRRP capture', () => {
    const file = fileURLToPath(new URL('../../../../shared/captures/tcpdump-tests/vrrp.pcap', import.meta.url));
    const analyzer = createAnalyzer();
    const reader = new CaptureReader();
    reader.push(new Uint8Array(readFileSync(file)));
    reader.end();
    for (let f = reader.next(); f !== null; f = reader.next()) analyzer.feed(f, decodeFrame(f.linkType, f.data));
    const r = analyzer.finish();
    expect(r.adverts.length).toBeGreaterThan(100);
    expect(splitBrains(r)).toEqual([]);
  });

  it('reports matching nodes that take turns advertising for long as a split brain, with the multicast fix', () => {
    const r = run([...every(0, 3, a), ...every(3.2, 6, b), ...every(6.1, 9, a), ...every(9.3, 12, b)]);
    const sb = splitBrains(r);
    expect(sb).toHaveLength(1);
    expect(sb[0].fix).toMatch(/multicast/);
  });
});

describe('one virtual address under two VRIDs', () => {
  it('reports two routers that advertise the same VIP under different VRIDs side by side as a split brain', () => {
    const r = run([...every(0, 10, { src: A, vrid: 63, priority: 150, addresses: [VIP] }), ...every(3.6, 10, { src: B, vrid: 64, priority: 100, addresses: [VIP] })]);
    const sb = splitBrains(r);
    expect(sb).toHaveLength(1);
    expect(sb[0].message).toContain(`2 masters for the virtual address ${VIP}`);
    expect(sb[0].message).toContain(`${A} advertises it as master of VRRP VRID 63 and ${B} as master of VRID 64`);
    expect(sb[0].fix).toContain('virtual_router_id');
  });

  it('does not report a VRID renumbering where the old VRID stops after a moment', () => {
    const r = run([...every(0, 5.5, { src: A, vrid: 63, addresses: [VIP] }), ...every(4.2, 12, { src: B, vrid: 64, addresses: [VIP] })]);
    expect(splitBrains(r)).toEqual([]);
  });

  it('does not report different addresses under different VRIDs', () => {
    const r = run([...every(0, 10, { src: A, vrid: 63, addresses: [VIP] }), ...every(0.5, 10, { src: B, vrid: 64, addresses: ['10.0.1.52'] })]);
    expect(splitBrains(r)).toEqual([]);
  });
});
