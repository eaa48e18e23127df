import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/analysis/analyzer.js';
import { Feeder } from './capture-builder.js';

const A = '10.0.1.1';
const B = '10.0.1.2';

function run(build: (f: Feeder) => void) {
  const f = new Feeder(createAnalyzer());
  build(f);
  return f.analyzer.finish();
}

describe('master timeline and change causes', () => {
  it('names the first advertiser as the first master and counts its advertisements', () => {
    const r = run((f) => f.carpRun(0, 10, { src: A }));
    const g = r.groups[0];
    expect(g.id).toBe('carp:1');
    expect(g.adverts).toBe(10);
    expect(g.masters).toEqual([{ src: A, srcMac: '00:00:5e:00:01:01', from: r.capture.firstTime, to: r.capture.firstTime! + 9, adverts: 10 }]);
    expect(g.changes.map((c) => c.cause)).toEqual(['first-seen']);
    expect(g.measuredIntervalSeconds).toBeCloseTo(1, 6);
    expect(g.announcedIntervalSeconds).toBe(1);
  });

  it('classifies a takeover after the master went silent, with the gap and the CARP bound of the new master', () => {
    const seq = { n: 100n };
    const r = run((f) => {
      f.carpRun(0, 10, { src: A, seq });
      f.carpRun(9 + 3.4, 20, { src: B, advskew: 100, seq });
    });
    const c = r.groups[0].changes[1];
    expect(c).toMatchObject({ from: A, to: B, cause: 'takeover-after-silence' });
    expect(c.gapSeconds).toBeCloseTo(3.4, 6);
    expect(c.boundSeconds).toBeCloseTo(3 + 100 / 256, 6);
    expect(c.explanation).toContain('3.40 s');
    expect(r.findings.filter((x) => x.kind === 'slow-takeover')).toEqual([]);
  });

  it('reports a slow takeover when the gap is far beyond the bound', () => {
    const r = run((f) => {
      f.carpRun(0, 10, { src: A });
      f.carpRun(9 + 8, 30, { src: B, advskew: 100 });
    });
    const slow = r.findings.filter((x) => x.kind === 'slow-takeover');
    expect(slow).toHaveLength(1);
    expect(slow[0].message).toContain('8.00 s');
    expect(slow[0].vhid).toBe(1);
  });

  it('classifies a better advertiser replacing a still-active master as preemption', () => {
    const r = run((f) => {
      f.carpRun(0, 9, { src: A, advskew: 100 });
      f.carpRun(9.5, 20, { src: B, advskew: 0 });
    });
    const g = r.groups[0];
    expect(g.changes.map((c) => [c.cause, c.from, c.to])).toEqual([['first-seen', null, A], ['preemption', A, B]]);
    expect(g.changes[1].frame).toBe(8);
    expect(g.masters.map((m) => m.src)).toEqual([A, B]);
    expect(r.findings.filter((x) => x.kind === 'split-brain')).toEqual([]);
  });

  it('accepts one more advertisement from the old master after a preemption (ucarp steps down that way)', () => {
    const r = run((f) => {
      f.carpRun(0, 10, { src: A, advskew: 100 });
      f.carp(9.1, { src: B });
      f.carp(9.2, { src: A, advskew: 100 });
      f.carpRun(10.1, 20, { src: B });
    });
    expect(r.groups[0].changes.map((c) => c.cause)).toEqual(['first-seen', 'preemption']);
  });

  it('classifies an OpenBSD bow-out (advbase 255, advskew 255) distinctly from a timeout', () => {
    const r = run((f) => {
      f.carpRun(0, 10, { src: A });
      f.carp(9.5, { src: A, advbase: 255, advskew: 255 });
      f.carpRun(9.95, 20, { src: B, advskew: 50 });
    });
    const c = r.groups[0].changes[1];
    expect(c.cause).toBe('bow-out');
    expect(c.gapSeconds).toBeCloseTo(0.45, 6);
    expect(c.explanation).toContain('bowed out');
  });

  it('classifies a VRRP takeover after a priority-0 advertisement', () => {
    const r = run((f) => {
      f.vrrpRun(0, 10, { src: A, priority: 150 });
      f.vrrp(9.5, { src: A, priority: 0 });
      f.vrrpRun(10.11, 20, { src: B, priority: 100 });
    });
    expect(r.groups[0].id).toBe('vrrp:1');
    expect(r.groups[0].changes[1]).toMatchObject({ cause: 'priority-zero', from: A, to: B });
  });

  it('uses the VRRP master-down bound 3 x interval + skew for a VRRPv3 takeover', () => {
    const r = run((f) => {
      f.vrrpRun(0, 5, { src: A, priority: 150, version: 3, intervalCs: 50 });
      f.vrrpRun(4.5 + 1.805, 10, { src: B, priority: 100, version: 3, intervalCs: 50 });
    });
    const c = r.groups[0].changes[1];
    expect(c.cause).toBe('takeover-after-silence');
    expect(c.boundSeconds).toBeCloseTo(1.5 + (156 * 0.5) / 256, 5);
  });

  it('classifies a change after the master raised its advskew as demotion', () => {
    const r = run((f) => {
      f.carpRun(0, 10, { src: A, advskew: 0 });
      f.carp(10, { src: A, advskew: 240 });
      f.carpRun(10.3, 20, { src: B, advskew: 100 });
    });
    const c = r.groups[0].changes[1];
    expect(c.cause).toBe('demotion');
    expect(c.explanation).toContain('advskew 240');
    expect(r.findings.some((x) => x.kind === 'demoted' && x.message.includes(A))).toBe(true);
  });

  it('keeps CARP groups of each address family and VLAN apart', () => {
    const r = run((f) => {
      f.carpRun(0, 5, { src: A });
      f.carpRun(0.01, 5, { src: 'fe80::1' });
      f.carpRun(0.02, 5, { src: '10.0.2.1', vlans: [20] });
    });
    expect(r.groups.map((g) => g.id).sort()).toEqual(['carp:1', 'carp:1/ipv6', 'carp:1@20']);
    expect(r.findings.filter((x) => x.kind === 'split-brain')).toEqual([]);
  });
});
