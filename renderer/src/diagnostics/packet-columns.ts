import type { AdvertRow } from '../../../shared/analysis/types.js';

/**
 * The packet table's rows held column by column in typed arrays (a million adverts take a few tens of MB and
 * cross from the worker as transferred buffers, not a million cloned objects). Strings are interned.
 */
export interface PacketColumns {
  count: number;
  frame: Uint32Array;
  time: Float64Array;
  /** Index into KINDS. */
  kind: Uint8Array;
  vhid: Uint8Array;
  /** Index into `strings`: group key "carp:1" / "vrrp:42". */
  group: Uint32Array;
  src: Uint32Array;
  /** Index into `strings`, or NO_STRING. */
  srcMac: Uint32Array;
  ttl: Uint8Array;
  /** CARP advskew or VRRP priority. */
  skewOrPriority: Uint8Array;
  /** CARP advbase or VRRP interval, in seconds. */
  interval: Float32Array;
  demote: Uint8Array;
  counterHi: Uint32Array;
  counterLo: Uint32Array;
  /** VRRP addresses joined with ", " (index into `strings`), or NO_STRING. */
  addresses: Uint32Array;
  /** FLAG_* bits. */
  flags: Uint8Array;
  strings: string[];
}

export const KINDS = ['carp', 'vrrp2', 'vrrp3'] as const;
export const NO_STRING = 0xffffffff;
export const FLAG_CHECKSUM_OK = 1;
export const FLAG_HMAC_OK = 2;
export const FLAG_HMAC_BAD = 4;

export function emptyColumns(count: number): PacketColumns {
  return {
    count,
    frame: new Uint32Array(count),
    time: new Float64Array(count),
    kind: new Uint8Array(count),
    vhid: new Uint8Array(count),
    group: new Uint32Array(count),
    src: new Uint32Array(count),
    srcMac: new Uint32Array(count),
    ttl: new Uint8Array(count),
    skewOrPriority: new Uint8Array(count),
    interval: new Float32Array(count),
    demote: new Uint8Array(count),
    counterHi: new Uint32Array(count),
    counterLo: new Uint32Array(count),
    addresses: new Uint32Array(count),
    flags: new Uint8Array(count),
    strings: [],
  };
}

export function buildColumns(adverts: readonly AdvertRow[]): PacketColumns {
  const cols = emptyColumns(adverts.length);
  const ids = new Map<string, number>();
  const intern = (s: string) => {
    let id = ids.get(s);
    if (id === undefined) {
      id = cols.strings.length;
      cols.strings.push(s);
      ids.set(s, id);
    }
    return id;
  };
  for (let i = 0; i < adverts.length; i++) {
    const a = adverts[i];
    const carp = a.kind === 'carp';
    cols.frame[i] = a.frame;
    cols.time[i] = a.time;
    cols.kind[i] = KINDS.indexOf(a.kind);
    cols.vhid[i] = a.vhid;
    cols.group[i] = intern(`${carp ? 'carp' : 'vrrp'}:${a.vhid}`);
    cols.src[i] = intern(a.src);
    cols.srcMac[i] = a.srcMac ? intern(a.srcMac) : NO_STRING;
    cols.ttl[i] = a.ttl;
    cols.skewOrPriority[i] = (carp ? a.advskew : a.priority) ?? 0;
    cols.interval[i] = carp ? (a.advbase ?? 0) : (a.intervalCs ?? 0) / 100;
    cols.demote[i] = a.demote ?? 0;
    if (a.counter !== undefined) {
      const counter = BigInt(a.counter);
      cols.counterHi[i] = Number(counter >> 32n);
      cols.counterLo[i] = Number(counter & 0xffffffffn);
    }
    cols.addresses[i] = a.addresses?.length ? intern(a.addresses.join(', ')) : NO_STRING;
    cols.flags[i] = (a.checksumOk ? FLAG_CHECKSUM_OK : 0) | (a.hmac === 'ok' ? FLAG_HMAC_OK : 0) | (a.hmac === 'bad' ? FLAG_HMAC_BAD : 0);
  }
  return cols;
}

/** The buffers to list as transferables when posting the columns. */
export function columnBuffers(cols: PacketColumns): ArrayBuffer[] {
  return [
    cols.frame, cols.time, cols.kind, cols.vhid, cols.group, cols.src, cols.srcMac, cols.ttl, cols.skewOrPriority,
    cols.interval, cols.demote, cols.counterHi, cols.counterLo, cols.addresses, cols.flags,
  ].map((a) => a.buffer as ArrayBuffer);
}

export function counterText(cols: PacketColumns, row: number): string {
  return ((BigInt(cols.counterHi[row]) << 32n) | BigInt(cols.counterLo[row])).toString();
}

export function hmacText(cols: PacketColumns, row: number): string {
  if (cols.kind[row] !== 0) return '';
  const f = cols.flags[row];
  return f & FLAG_HMAC_OK ? 'ok' : f & FLAG_HMAC_BAD ? 'bad' : 'unknown';
}

/** The row showing `frame`, or the first row after it (adverts are in file order); -1 when past the end. */
export function rowForFrame(cols: PacketColumns, frame: number): number {
  let lo = 0;
  let hi = cols.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cols.frame[mid] < frame) lo = mid + 1;
    else hi = mid;
  }
  return lo < cols.count ? lo : -1;
}
