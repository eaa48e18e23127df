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
  /** Index into `strings`: group key (see rowGroupKey). */
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

type NumericColumn = Exclude<keyof PacketColumns, 'count' | 'strings'>;

const NUMERIC: Record<NumericColumn, { new (n: number): Uint8Array | Uint32Array | Float32Array | Float64Array }> = {
  frame: Uint32Array,
  time: Float64Array,
  kind: Uint8Array,
  vhid: Uint8Array,
  group: Uint32Array,
  src: Uint32Array,
  srcMac: Uint32Array,
  ttl: Uint8Array,
  skewOrPriority: Uint8Array,
  interval: Float32Array,
  demote: Uint8Array,
  counterHi: Uint32Array,
  counterLo: Uint32Array,
  addresses: Uint32Array,
  flags: Uint8Array,
};

/** The table's group key for a row: the analyser's group id (family and VLAN included). */
export function rowGroupKey(row: AdvertRow): string {
  return row.group ?? `${row.kind === 'carp' ? 'carp' : 'vrrp'}:${row.vhid}${row.src.includes(':') ? '/ipv6' : ''}`;
}

/** Appends rows as they stream out of the analyser, growing the arrays by doubling. */
export class ColumnBuilder {
  private cols: PacketColumns;
  private readonly ids = new Map<string, number>();

  constructor(initialCapacity = 1024) {
    this.cols = this.allocate(Math.max(1, initialCapacity));
  }

  private allocate(capacity: number): PacketColumns {
    const cols = { count: 0, strings: [] } as unknown as PacketColumns;
    for (const [name, Type] of Object.entries(NUMERIC)) (cols as unknown as Record<string, unknown>)[name] = new Type(capacity);
    return cols;
  }

  private grow(): void {
    const next = this.allocate(this.cols.frame.length * 2);
    for (const name of Object.keys(NUMERIC) as NumericColumn[]) next[name].set(this.cols[name] as never);
    next.count = this.cols.count;
    next.strings = this.cols.strings;
    this.cols = next;
  }

  private intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.cols.strings.length;
      this.cols.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  append(a: AdvertRow): void {
    if (this.cols.count === this.cols.frame.length) this.grow();
    const cols = this.cols;
    const i = cols.count++;
    const carp = a.kind === 'carp';
    cols.frame[i] = a.frame;
    cols.time[i] = a.time;
    cols.kind[i] = KINDS.indexOf(a.kind);
    cols.vhid[i] = a.vhid;
    cols.group[i] = this.intern(rowGroupKey(a));
    cols.src[i] = this.intern(a.src);
    cols.srcMac[i] = a.srcMac ? this.intern(a.srcMac) : NO_STRING;
    cols.ttl[i] = a.ttl;
    cols.skewOrPriority[i] = (carp ? a.advskew : a.priority) ?? 0;
    cols.interval[i] = carp ? (a.advbase ?? 0) : (a.intervalCs ?? 0) / 100;
    cols.demote[i] = a.demote ?? 0;
    if (a.counter !== undefined) {
      const counter = BigInt(a.counter);
      cols.counterHi[i] = Number(counter >> 32n);
      cols.counterLo[i] = Number(counter & 0xffffffffn);
    }
    cols.addresses[i] = a.addresses?.length ? this.intern(a.addresses.join(', ')) : NO_STRING;
    cols.flags[i] = (a.checksumOk ? FLAG_CHECKSUM_OK : 0) | (a.hmac === 'ok' ? FLAG_HMAC_OK : 0) | (a.hmac === 'bad' ? FLAG_HMAC_BAD : 0);
  }

  /** The columns trimmed to the rows appended. */
  finish(): PacketColumns {
    const out = { count: this.cols.count, strings: this.cols.strings } as PacketColumns;
    for (const name of Object.keys(NUMERIC) as NumericColumn[]) {
      (out as unknown as Record<string, unknown>)[name] = this.cols[name].slice(0, this.cols.count);
    }
    return out;
  }
}

/** The buffers to list as transferables when posting the columns. */
export function columnBuffers(cols: PacketColumns): ArrayBuffer[] {
  return (Object.keys(NUMERIC) as NumericColumn[]).map((name) => cols[name].buffer as ArrayBuffer);
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
