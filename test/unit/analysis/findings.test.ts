import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/analysis/analyzer.js';
import type { AnalysisReport, FindingKind } from '../../../shared/analysis/types.js';
import { Feeder } from './capture-builder.js';

const A = '10.0.1.1';
const B = '10.0.1.2';

function run(build: (f: Feeder) => void): AnalysisReport {
  const f = new Feeder(createAnalyzer());
  build(f);
  return f.analyzer.finish();
}

const kinds = (r: AnalysisReport, kind: FindingKind) => r.findings.filter((x) => x.kind === kind);

describe('findings', () => {
  it('finds a split brain when two sources keep advertising as master of one group', () => {
    const r = run((f) => {
      f.carpRun(0, 5, { src: A });
      for (let t = 5; t < 20; t += 1) {
        f.carp(t, { src: A });
        f.carp(t + 0.5, { src: B });
      }
    });
    const sb = kinds(r, 'split-brain');
    expect(sb).toHaveLength(1);
    expect(sb[0]).toMatchObject({ severity: 'error', vhid: 1, group: 'carp:1' });
    expect(sb[0].message).toContain(A);
    expect(sb[0].message).toContain(B);
    expect(sb[0].time).toBeCloseTo(r.capture.firstTime! + 5.5, 6);
    expect(sb[0].fix).toMatch(/multicast/);
    // The timeline does not flip on every packet of the split brain.
    expect(r.groups[0].changes.length).toBeLessThanOrEqual(2);
    expect(kinds(r, 'flapping')).toEqual([]);
  });

  it('does not call a brief overlap during a preemption a split brain', () => {
    const r = run((f) => {
      f.carpRun(0, 10, { src: A, advskew: 100 });
      f.carp(9.8, { src: B });
      f.carp(9.81, { src: A, advskew: 100 });
      f.carpRun(10.8, 30, { src: B });
    });
    expect(kinds(r, 'split-brain')).toEqual([]);
  });

  it('finds flapping when the master changes more than 3 times within a minute', () => {
    const r = run((f) => {
      let t = 0;
      for (let i = 0; i < 6; i++) {
        f.carpRun(t, t + 8, { src: i % 2 ? B : A });
        t += 8 + 3.2;
      }
    });
    expect(r.groups[0].changes).toHaveLength(6);
    const fl = kinds(r, 'flapping');
    expect(fl).toHaveLength(1);
    expect(fl[0].count).toBe(5);
    expect(fl[0].message).toContain('changed 5 times');
  });

  it('does not report flapping for 3 changes in a minute', () => {
    const r = run((f) => {
      f.carpRun(0, 10, { src: A });
      f.carpRun(13, 23, { src: B });
      f.carpRun(26, 36, { src: A });
      f.carpRun(39, 49, { src: B });
    });
    expect(r.groups[0].changes).toHaveLength(4);
    expect(kinds(r, 'flapping')).toEqual([]);
  });

  it('finds a vhid used by CARP and by VRRP', () => {
    const r = run((f) => {
      f.carpRun(0, 5, { src: A, vhid: 7 });
      f.vrrpRun(0.3, 5, { src: '10.0.1.9', vrid: 7 });
    });
    const c = kinds(r, 'vhid-collision');
    expect(c).toHaveLength(1);
    expect(c[0].message).toContain('CARP (10.0.1.1) and VRRP (10.0.1.9)');
  });

  it('finds two CARP clusters on one vhid by their different advbase', () => {
    const r = run((f) => {
      f.carpRun(0, 10, { src: A, advbase: 1 });
      f.carpRun(0.5, 10, { src: '10.0.1.50', advbase: 2 });
    });
    const c = kinds(r, 'vhid-collision');
    expect(c).toHaveLength(1);
    expect(c[0].message).toContain('advbase 1');
    expect(c[0].message).toContain('advbase 2');
  });

  it('finds a TTL other than 255 and bad checksums, once per source with a count', () => {
    const r = run((f) => {
      f.carpRun(0, 4, { src: A, ttl: 64 });
      f.carpRun(4, 7, { src: A, checksumOk: false });
    });
    expect(kinds(r, 'bad-ttl')).toMatchObject([{ count: 4, frames: [1, 2, 3, 4] }]);
    expect(kinds(r, 'bad-ttl')[0].message).toContain('TTL 64');
    expect(kinds(r, 'bad-checksum')).toMatchObject([{ count: 3, frames: [5, 6, 7] }]);
  });

  it('accepts a counter that continues the pair\'s sequence across a change of master', () => {
    const seq = { n: 5000n };
    const r = run((f) => {
      f.carpRun(0, 10, { src: A, seq });
      f.carpRun(9 + 3.4, 20, { src: B, seq });
      f.carpRun(20, 30, { src: A, advskew: 0, seq });
    });
    expect(kinds(r, 'counter-jump')).toEqual([]);
  });

  it('accepts the constant counter of an OpenBSD node', () => {
    const r = run((f) => f.carpRun(0, 10, { src: A, counter: 0xdeadbeefcafef00dn }));
    expect(kinds(r, 'counter-jump')).toEqual([]);
  });

  it('finds a counter that jumps to random values while a peer advertises (the node does not accept its peer)', () => {
    const r = run((f) => {
      const values = [0x1111n, 0x9a8b7c6d5e4f3a2bn, 0x42n, 0x7777777777n];
      values.forEach((counter, i) => {
        f.carp(i, { src: A, counter });
        f.carp(i + 0.5, { src: B, counter: 1000n + BigInt(i) });
      });
    });
    const j = kinds(r, 'counter-jump').filter((x) => x.message.includes(`counter of ${A}`));
    expect(j).toHaveLength(1);
    expect(j[0].count).toBe(3);
    expect(j[0].message).toContain(`from ${0x1111n} to ${0x9a8b7c6d5e4f3a2bn}`);
  });

  it('accepts random counters from a master whose backup is silent (it never hears a peer advertisement)', () => {
    const r = run((f) => [5n, 0x9a8b7c6d5e4f3a2bn, 0x42n, 0x7777777777n].forEach((counter, i) => f.carp(i, { src: A, counter })));
    expect(kinds(r, 'counter-jump')).toEqual([]);
  });

  it('finds a node\'s own advertisement echoed back', () => {
    const r = run((f) => {
      f.carp(0, { src: A, counter: 10n });
      f.carp(1, { src: A, counter: 11n });
      f.carp(1.002, { src: A, counter: 11n });
      f.carp(2, { src: A, counter: 12n });
    });
    const e = kinds(r, 'own-advert-echo');
    expect(e).toHaveLength(1);
    expect(e[0].frames).toEqual([3]);
    expect(kinds(r, 'irregular-interval')).toEqual([]);
    expect(r.groups[0].adverts).toBe(4);
  });

  it('finds advskew 240 or more as demoted/maintenance', () => {
    const r = run((f) => f.carpRun(0, 5, { src: A, advskew: 254 }));
    const d = kinds(r, 'demoted');
    expect(d).toHaveLength(1);
    expect(d[0].message).toContain('advskew 254');
  });

  it('does not report advskew below 240 as demoted', () => {
    const r = run((f) => f.carpRun(0, 5, { src: A, advskew: 239 }));
    expect(kinds(r, 'demoted')).toEqual([]);
  });

  it('finds irregular advertisement intervals', () => {
    const r = run((f) => {
      let t = 0;
      for (let i = 0; i < 30; i++) {
        f.carp(t, { src: A });
        t += i % 2 ? 1.6 : 0.6;
      }
    });
    const ir = kinds(r, 'irregular-interval');
    expect(ir).toHaveLength(1);
    expect(ir[0].message).toContain('1.000 s');
  });

  it('reports unsupported link types and malformed packets once per kind with counts', () => {
    const r = run((f) => {
      f.problem(0, { code: 'unsupported-link-type', message: 'unsupported link type 107' }, 107);
      f.problem(1, { code: 'unsupported-link-type', message: 'unsupported link type 107' }, 107);
      f.problem(2, { code: 'unknown-112', message: 'IP protocol 112 payload is neither CARP nor VRRP' });
    });
    expect(kinds(r, 'unsupported-link-type')).toMatchObject([{ count: 2, frames: [1, 2] }]);
    expect(kinds(r, 'unsupported-link-type')[0].message).toContain('107');
    expect(kinds(r, 'malformed-packet')).toMatchObject([{ count: 1, frames: [3] }]);
    expect(r.capture.linkTypes).toEqual([1, 107]);
  });

  it('finds nothing in a healthy pair with one clean failover', () => {
    const seq = { n: 1n };
    const r = run((f) => {
      f.carpRun(0, 30, { src: A, seq });
      f.carpRun(29 + 3.39, 60, { src: B, advskew: 100, seq });
    });
    expect(r.findings).toEqual([]);
  });
});

describe('rows', () => {
  it('lists every advertisement and sync packet with its fields, in file order', () => {
    const r = run((f) => {
      f.carp(0, { src: A, advskew: 100, counter: 2n ** 63n + 5n, demote: 3 });
      f.other(0.1);
      f.vrrp(0.2, { src: B, vrid: 9, priority: 150, version: 3, intervalCs: 50, addresses: ['10.0.1.100'] });
      f.pfsync(0.3);
    });
    expect(r.capture.packets).toBe(4);
    expect(r.adverts).toEqual([
      { frame: 1, time: 1_700_000_000, kind: 'carp', src: A, srcMac: '00:00:5e:00:01:01', dst: '224.0.0.18', ttl: 255, vhid: 1, group: 'carp:1', checksumOk: true, advbase: 1, advskew: 100, demote: 3, counter: '9223372036854775813', hmac: 'unknown' },
      { frame: 3, time: 1_700_000_000.2, kind: 'vrrp3', src: B, srcMac: '52:54:00:00:00:01', dst: '224.0.0.18', ttl: 255, vhid: 9, group: 'vrrp:9', checksumOk: true, priority: 150, intervalCs: 50, addresses: ['10.0.1.100'] },
    ]);
    expect(r.sync).toMatchObject([{ frame: 4, kind: 'pfsync', version: 6, inserted: 2, updated: 3, deleted: 1 }]);
  });
});
