import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/analysis/analyzer.js';
import type { AdvertRow, CarpSecret } from '../../../shared/analysis/types.js';
import { Feeder } from './capture-builder.js';

const A = '10.0.1.1';
const B = '10.0.1.2';
const VIPS = ['10.0.1.100', '2001:db8::100'];

function feeder(secrets: CarpSecret[], streamed?: AdvertRow[]) {
  return new Feeder(createAnalyzer({ secrets, onAdvert: streamed ? (r) => streamed.push(r) : undefined }));
}

describe('CARP HMAC check', () => {
  it('verifies advertisements against the given password and VIPs', () => {
    const f = feeder([{ vhid: 1, password: 'secret', vips: VIPS }]);
    for (let i = 0; i < 3; i++) f.carp(i, { src: A, counter: BigInt(i), password: 'secret', vips: VIPS });
    const r = f.analyzer.finish();
    expect(r.adverts.map((a) => a.hmac)).toEqual(['ok', 'ok', 'ok']);
    expect(r.groups[0].hmacVerifiedWith).toEqual({ addresses: VIPS, source: 'given' });
    expect(r.findings.filter((x) => x.kind === 'hmac-failure')).toEqual([]);
  });

  it('reports an HMAC failure for a node with another password', () => {
    const f = feeder([{ vhid: 1, password: 'secret', vips: ['10.0.1.100'] }]);
    f.carpRun(0, 5, { src: A, password: 'secret', vips: ['10.0.1.100'], seq: { n: 1n } });
    f.carpRun(0.5, 5, { src: B, password: 'wrong', vips: ['10.0.1.100'], seq: { n: 50n } });
    const r = f.analyzer.finish();
    expect(r.adverts.filter((a) => a.src === B).every((a) => a.hmac === 'bad')).toBe(true);
    expect(r.adverts.filter((a) => a.src === A).every((a) => a.hmac === 'ok')).toBe(true);
    const h = r.findings.filter((x) => x.kind === 'hmac-failure');
    expect(h).toHaveLength(1);
    expect(h[0]).toMatchObject({ vhid: 1, count: 5 });
    expect(h[0].message).toContain(B);
    expect(r.findings.some((x) => x.kind === 'vhid-collision' && x.message.includes('HMAC'))).toBe(true);
  });

  it('reports hmac unknown for a vhid without a secret', () => {
    const f = feeder([{ vhid: 2, password: 'secret' }]);
    f.carp(0, { src: A, vhid: 1, password: 'secret', vips: ['10.0.1.100'] });
    expect(f.analyzer.finish().adverts[0].hmac).toBe('unknown');
  });

  it('finds the address set from gratuitous ARP and NA sent after the first advertisement, keeping file order', () => {
    const streamed: AdvertRow[] = [];
    const f = feeder([{ vhid: 3, password: 'pw' }], streamed);
    const vmac = '00:00:5e:00:01:03';
    f.garp(0, '192.168.7.7', '52:54:00:aa:bb:cc');
    f.carp(1, { src: A, vhid: 3, counter: 1n, password: 'pw', vips: VIPS });
    f.vrrp(1.1, { src: '10.9.9.9', vrid: 8 });
    f.garp(1.2, '10.0.1.100', vmac);
    f.garp(1.3, '2001:db8::100', vmac);
    f.carp(2, { src: A, vhid: 3, counter: 2n, password: 'pw', vips: VIPS });
    const r = f.analyzer.finish();
    expect(r.adverts.map((a) => [a.frame, a.hmac])).toEqual([[2, 'ok'], [3, undefined], [6, 'ok']]);
    expect(streamed.map((a) => a.frame)).toEqual([2, 3, 6]);
    expect(r.groups.find((g) => g.id === 'carp:3')!.hmacVerifiedWith).toEqual({ addresses: VIPS, source: 'capture' });
  });

  it('finds a single VIP claimed from a real MAC (ucarp announces its VIP that way)', () => {
    const f = feeder([{ vhid: 10, password: 'secret' }]);
    f.garp(0, '10.77.1.99', '52:54:00:00:00:09');
    f.garp(0.5, '10.77.1.100', '52:54:00:00:00:0a');
    f.carp(1, { src: '10.77.1.1', vhid: 10, counter: 7n, password: 'secret', vips: ['10.77.1.100'], srcMac: '00:00:5e:00:00:0a' });
    const r = f.analyzer.finish();
    expect(r.adverts[0].hmac).toBe('ok');
    expect(r.groups[0].hmacVerifiedWith).toEqual({ addresses: ['10.77.1.100'], source: 'capture' });
  });

  it('marks advertisements bad when no address set in the capture verifies', () => {
    const f = feeder([{ vhid: 1, password: 'secret' }]);
    f.garp(0, '10.0.1.100', '00:00:5e:00:01:01');
    f.carpRun(1, 4, { src: A, password: 'other', vips: ['10.0.1.100'], seq: { n: 1n } });
    const r = f.analyzer.finish();
    expect(r.adverts.map((a) => a.hmac)).toEqual(['bad', 'bad', 'bad']);
    const h = r.findings.filter((x) => x.kind === 'hmac-failure');
    expect(h[0].message).toContain('every address set the capture revealed');
    expect(h[0].fix).toContain('--secret 1:PASSWORD@VIP');
    expect(r.groups[0].hmacVerifiedWith).toBeUndefined();
  });
});
