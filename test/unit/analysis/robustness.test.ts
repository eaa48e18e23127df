import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/analysis/analyzer.js';
import type { AdvertRow } from '../../../shared/analysis/types.js';
import { Feeder } from './capture-builder.js';

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('analyser robustness', () => {
  it('takes random advertisements, claims and problems (odd values, time going backwards) without throwing', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const rnd = prng(seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
      const streamed: AdvertRow[] = [];
      const f = new Feeder(createAnalyzer({ secrets: [{ vhid: 1, password: 'pw' }, { vhid: 2, password: 'x', vips: ['10.0.0.9'] }], onAdvert: (r) => streamed.push(r) }));
      let t = 0;
      for (let i = 0; i < 1500; i++) {
        t += rnd() < 0.05 ? -rnd() * 5 : rnd() * 2;
        const src = pick(['10.0.0.1', '10.0.0.2', '10.0.0.3', 'fe80::1']);
        const r = rnd();
        if (r < 0.5) {
          f.carp(t, {
            src,
            vhid: pick([0, 1, 2, 255]),
            advbase: pick([0, 1, 255]),
            advskew: pick([0, 100, 240, 255]),
            demote: pick([0, 0, 1]),
            counter: BigInt(Math.floor(rnd() * 2 ** 32)) * pick([1n, 2n ** 32n]),
            ttl: pick([255, 255, 1]),
            checksumOk: rnd() < 0.9,
            password: pick(['pw', 'x', undefined]),
            vips: pick([['10.0.0.9'], ['10.0.0.9', '2001:db8::9'], []]),
            vlans: pick([[], [], [7]]),
          });
        } else if (r < 0.8) {
          f.vrrp(t, { src, vrid: pick([1, 2, 3]), priority: pick([0, 100, 255]), intervalCs: pick([0, 1, 100, 4095]), version: pick([2, 3] as const), addresses: pick([[], ['10.0.0.9']]) });
        } else if (r < 0.9) {
          f.garp(t, pick(['10.0.0.9', '2001:db8::9', '192.0.2.1']), pick(['00:00:5e:00:01:01', '52:54:00:00:00:01']));
        } else if (r < 0.95) {
          f.problem(t, { code: pick(['truncated', 'malformed', 'unknown-112'] as const), message: 'damaged' });
        } else {
          f.other(t);
        }
      }
      const report = f.analyzer.finish();
      expect(report.capture.packets).toBe(1500);
      expect(streamed.map((a) => a.frame)).toEqual(report.adverts.map((a) => a.frame));
      expect([...report.adverts.map((a) => a.frame)]).toEqual([...report.adverts.map((a) => a.frame)].sort((a, b) => a - b));
      expect(report.adverts.filter((a) => a.kind === 'carp').every((a) => ['ok', 'bad', 'unknown'].includes(a.hmac!))).toBe(true);
      expect(() => JSON.stringify(report)).not.toThrow();
      for (const finding of report.findings) expect(finding.message.length).toBeGreaterThan(0);
    }
  });
});
