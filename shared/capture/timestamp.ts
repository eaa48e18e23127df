/** Converts pcapng 64-bit timestamps (ticks of 1/unitsPerSec s) to seconds + nanoseconds without BigInt on the common path. */

export interface Timestamp {
  sec: number;
  nsec: number;
}

/** Largest divisor the 16-bit-limb long division below handles exactly (remainders stay < 2^46). */
const FAST_LIMIT = 2 ** 30;

export class TicksConverter {
  private readonly fast: boolean;
  private readonly nsPerTick: number;
  private readonly bigUnits: bigint;

  readonly unitsPerSec: number;

  /** Resolution base^-exp seconds per tick (if_tsresol: base 10 or 2); `offsetSec` is if_tsoffset. */
  constructor(
    base: 10 | 2,
    exp: number,
    readonly offsetSec = 0,
  ) {
    this.unitsPerSec = base ** exp;
    this.fast = this.unitsPerSec <= FAST_LIMIT;
    this.nsPerTick = 1e9 / this.unitsPerSec;
    this.bigUnits = BigInt(base) ** BigInt(exp);
  }

  /** Writes the result into `out` (no allocation on the fast path). */
  convert(hi: number, lo: number, out: Timestamp): void {
    if (this.fast) {
      const d = this.unitsPerSec;
      const qHi = Math.floor(hi / d);
      const r0 = hi - qHi * d;
      const x = r0 * 65536 + (lo >>> 16);
      const q1 = Math.floor(x / d);
      const r1 = x - q1 * d;
      const y = r1 * 65536 + (lo & 0xffff);
      const q2 = Math.floor(y / d);
      const r2 = y - q2 * d;
      out.sec = qHi * 4294967296 + q1 * 65536 + q2 + this.offsetSec;
      out.nsec = Number.isInteger(this.nsPerTick) ? r2 * this.nsPerTick : Math.floor((r2 * 1e9) / d);
      return;
    }
    const ticks = (BigInt(hi) << 32n) | BigInt(lo);
    out.sec = Number(ticks / this.bigUnits) + this.offsetSec;
    out.nsec = Number(((ticks % this.bigUnits) * 1_000_000_000n) / this.bigUnits);
  }
}

/** Decodes the if_tsresol option byte: high bit set = 2^-n, else 10^-n. */
export function converterFromTsresol(b: number, offsetSec = 0): TicksConverter {
  return new TicksConverter(b & 0x80 ? 2 : 10, b & 0x7f, offsetSec);
}
