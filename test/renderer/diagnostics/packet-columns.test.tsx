import { describe, expect, it } from 'vitest';
import { ColumnBuilder, counterText, hmacText, NO_STRING, rowForFrame } from '../../../renderer/src/diagnostics/packet-columns.js';
import { buildColumns } from '../fixtures/columns.js';
import { computeView, viewPosition } from '../../../renderer/src/diagnostics/table-view.js';
import { PACKET_COLUMNS } from '../../../renderer/src/diagnostics/packet-cells.js';
import { FRAMES, REPORT, T0 } from '../fixtures/report.js';

const cols = buildColumns(REPORT.adverts);
const cell = (id: string, row: number) => PACKET_COLUMNS.find((c) => c.id === id)!.text(cols, row, T0);

describe('packet columns', () => {
  it('holds every advert with its fields, interning repeated strings', () => {
    expect(cols.count).toBe(REPORT.adverts.length);
    const vrrp = REPORT.adverts.findIndex((a) => a.kind === 'vrrp3');
    expect(cell('kind', vrrp)).toBe('VRRPv3');
    expect(cell('skew', vrrp)).toBe('200');
    expect(cell('interval', vrrp)).toBe('1 s');
    expect(cell('addresses', vrrp)).toBe('10.0.3.254');
    expect(cols.strings.filter((s) => s === '10.0.1.1')).toHaveLength(1);
    expect(cols.srcMac[0]).not.toBe(NO_STRING);
  });

  it('grows while rows stream in and trims to the rows appended', () => {
    const builder = new ColumnBuilder(1);
    for (const a of REPORT.adverts) builder.append(a);
    const grown = builder.finish();
    expect(grown.count).toBe(REPORT.adverts.length);
    expect(grown.frame.length).toBe(REPORT.adverts.length);
    expect([...grown.frame]).toEqual(REPORT.adverts.map((a) => a.frame));
    expect([...grown.time]).toEqual([...cols.time]);
    expect(grown.strings).toEqual(cols.strings);
  });

  it('keys IPv6 groups like the analyser', () => {
    const v6 = new ColumnBuilder();
    v6.append({ ...REPORT.adverts[0], src: 'fe80::1', vhid: 5 });
    const c = v6.finish();
    expect(c.strings[c.group[0]]).toBe('carp:5/ipv6');
  });

  it('keeps VLAN-tagged groups with the same vhid apart, using the analyser\'s group id', () => {
    const tagged = new ColumnBuilder();
    tagged.append({ ...REPORT.adverts[0], vhid: 1, group: 'carp:1@10' });
    tagged.append({ ...REPORT.adverts[0], vhid: 1, group: 'carp:1@20' });
    const c = tagged.finish();
    expect([c.strings[c.group[0]], c.strings[c.group[1]]]).toEqual(['carp:1@10', 'carp:1@20']);
  });

  it('keeps 64-bit CARP counters exact', () => {
    expect(counterText(cols, 0)).toBe(REPORT.adverts[0].counter);
    expect(BigInt(counterText(cols, 0))).toBeGreaterThan(2n ** 32n);
  });

  it('shows HMAC results for CARP only and flags TTLs other than 255', () => {
    const ttlRow = REPORT.adverts.findIndex((a) => a.frame === FRAMES.ttl);
    expect(hmacText(cols, ttlRow)).toBe('unknown');
    expect(PACKET_COLUMNS.find((c) => c.id === 'ttl')!.warn!(cols, ttlRow)).toBe(true);
    expect(PACKET_COLUMNS.find((c) => c.id === 'ttl')!.warn!(cols, 0)).toBe(false);
    const vrrp = REPORT.adverts.findIndex((a) => a.kind === 'vrrp3');
    expect(hmacText(cols, vrrp)).toBe('');
  });

  it('finds the row of a frame, or the next advert after a frame that is not one', () => {
    const row = rowForFrame(cols, FRAMES.split);
    expect(cols.frame[row]).toBe(FRAMES.split);
    const last = cols.frame[cols.count - 1];
    expect(rowForFrame(cols, last + 1)).toBe(-1);
  });
});

describe('packet table view', () => {
  it('is null (file order, no copy) without filter or sort', () => {
    expect(computeView(cols, { group: null, sort: null })).toBeNull();
    expect(computeView(cols, { group: null, sort: { key: 'frame', dir: 'asc' } })).toBeNull();
  });

  it('filters by group', () => {
    const view = computeView(cols, { group: 'vrrp:42', sort: null })!;
    expect(view.length).toBe(60);
    expect([...view].every((r) => cols.strings[cols.group[r]] === 'vrrp:42')).toBe(true);
  });

  it('sorts by source address text, then by file order', () => {
    const view = computeView(cols, { group: null, sort: { key: 'src', dir: 'asc' } })!;
    const srcs = [...view].map((r) => cols.strings[cols.src[r]]);
    expect(srcs[0]).toBe('10.0.1.1');
    expect(srcs.at(-1)).toBe('10.0.3.1');
    expect(view[1]).toBeGreaterThan(view[0]);
  });

  it('sorts descending by TTL and finds a row in the sorted view', () => {
    const view = computeView(cols, { group: null, sort: { key: 'ttl', dir: 'desc' } })!;
    const ttlRow = REPORT.adverts.findIndex((a) => a.frame === FRAMES.ttl);
    expect(viewPosition(view, ttlRow)).toBe(cols.count - 1);
    expect(viewPosition(computeView(cols, { group: 'carp:1', sort: null }), ttlRow)).toBe(-1);
  });
});
