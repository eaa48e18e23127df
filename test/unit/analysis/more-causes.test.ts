import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/analysis/analyzer.js';
import type { AnalysisReport } from '../../../shared/analysis/types.js';
import { Feeder } from './capture-builder.js';

const A = '10.0.1.1';
const B = '10.0.1.2';

function run(build: (f: Feeder) => void): AnalysisReport {
  const f = new Feeder(createAnalyzer());
  build(f);
  return f.analyzer.finish();
}

describe('more change causes and findings', () => {
  it('reports an OpenBSD demote count as demoted and the change it causes as demotion', () => {
    const r = run((f) => {
      f.carpRun(0, 10, { src: A });
      f.carp(10, { src: A, demote: 1 });
      f.carpRun(10.2, 20, { src: B, advskew: 100 });
    });
    expect(r.groups[0].changes[1].cause).toBe('demotion');
    const d = r.findings.filter((x) => x.kind === 'demoted');
    expect(d).toHaveLength(1);
    expect(d[0].message).toContain('demote 1');
  });

  it('classifies a VRRP master that lowered its priority before being replaced as demotion', () => {
    const r = run((f) => {
      f.vrrpRun(0, 10, { src: A, priority: 150 });
      f.vrrp(10, { src: A, priority: 50 });
      f.vrrpRun(10.3, 20, { src: B, priority: 100 });
    });
    expect(r.groups[0].changes[1]).toMatchObject({ cause: 'demotion', from: A, to: B });
  });

  it('after a split brain, names the survivor when the old master stops, without a takeover gap', () => {
    const r = run((f) => {
      f.carpRun(0, 5, { src: A });
      for (let t = 5; t < 15; t++) {
        f.carp(t, { src: A });
        f.carp(t + 0.5, { src: B });
      }
      f.carpRun(15.5, 25, { src: B });
    });
    const changes = r.groups[0].changes;
    expect(changes.map((c) => [c.cause, c.to])).toEqual([['first-seen', A], ['takeover-after-silence', B]]);
    expect(changes[1].gapSeconds).toBeUndefined();
    expect(changes[1].explanation).toContain('alongside');
    expect(r.groups[0].masters.map((m) => [m.src, m.to - r.capture.firstTime!])).toEqual([[A, 14], [B, 24.5]]);
    expect(r.findings.filter((x) => x.kind === 'slow-takeover')).toEqual([]);
  });

  it('finds two VRRP configurations on one VRID by their address lists', () => {
    const r = run((f) => {
      f.vrrpRun(0, 5, { src: A, addresses: ['10.0.0.100'] });
      f.vrrpRun(0.5, 5, { src: '10.0.0.50', addresses: ['10.0.0.200'] });
    });
    const c = r.findings.filter((x) => x.kind === 'vhid-collision');
    expect(c).toHaveLength(1);
    expect(c[0].message).toContain('10.0.0.200');
  });
});
