// Field-by-field comparison of the analyser's advert rows with TShark's decode of the same file. Every
// difference is returned as one readable line (frame, field, TShark's value, the analyser's value), so a failing
// test names exactly what disagrees.
import type { AdvertRow, HmacResult } from '../../../shared/analysis/types.js';
import type { TsharkCarp, TsharkFrame, TsharkVrrp } from './tshark.js';

/** pcap timestamps have microsecond resolution; allow for the double rounding on both sides. */
const TIME_TOLERANCE_S = 2e-6;

type Expected = Record<string, unknown>;

function diff(frame: number, expected: Expected, got: AdvertRow): string[] {
  const out: string[] = [];
  for (const [field, want] of Object.entries(expected)) {
    const have = (got as unknown as Record<string, unknown>)[field];
    const same =
      field === 'time'
        ? typeof have === 'number' && Math.abs(have - (want as number)) <= TIME_TOLERANCE_S
        : JSON.stringify(have) === JSON.stringify(want);
    if (!same) out.push(`frame ${frame} ${field}: tshark ${JSON.stringify(want)}, analyser ${JSON.stringify(have)}`);
  }
  return out;
}

function common(t: TsharkFrame): Expected {
  return { frame: t.frame, time: t.time, src: t.src, dst: t.dst, srcMac: t.srcMac, ttl: t.ttl, checksumOk: t.checksumOk };
}

function compareRows<T extends TsharkFrame>(rows: T[], adverts: AdvertRow[], expect: (t: T) => Expected): string[] {
  const byFrame = new Map(adverts.map((a) => [a.frame, a]));
  const known = new Set(rows.map((t) => t.frame));
  const out: string[] = [];
  for (const t of rows) {
    const a = byFrame.get(t.frame);
    if (!a) out.push(`frame ${t.frame}: tshark decodes an advertisement, the analyser has no row`);
    else out.push(...diff(t.frame, { ...common(t), ...expect(t) }, a));
  }
  for (const a of adverts) if (!known.has(a.frame)) out.push(`frame ${a.frame}: the analyser has a ${a.kind} row, tshark decodes none`);
  const order = adverts.map((a) => a.frame);
  if (order.some((f, i) => i > 0 && f <= order[i - 1])) out.push(`advert rows are not in file order: ${order.join(',')}`);
  return out;
}

/** `hmacOf` gives the HMAC verdict the analyser must reach for a row (checked independently of shared/). */
export function compareCarp(rows: TsharkCarp[], adverts: AdvertRow[], hmacOf: (t: TsharkCarp) => HmacResult): string[] {
  return compareRows(rows, adverts, (t) => ({
    kind: 'carp',
    vhid: t.vhid,
    advbase: t.advbase,
    advskew: t.advskew,
    demote: t.demote,
    counter: t.counter,
    hmac: hmacOf(t),
  }));
}

export function compareVrrp(rows: TsharkVrrp[], adverts: AdvertRow[]): string[] {
  return compareRows(rows, adverts, (t) => ({
    kind: t.version === 3 ? 'vrrp3' : 'vrrp2',
    vhid: t.vrid,
    priority: t.priority,
    intervalCs: t.intervalCs,
    addresses: t.addresses,
  }));
}
