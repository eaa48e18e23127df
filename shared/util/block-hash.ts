/**
 * What SHA-1 and SHA-256 share (FIPS 180-4): 64-byte blocks, big-endian words, padding with 0x80 and the message
 * length in bits, the state words as the digest; and HMAC (RFC 2104) over any such hash.
 */

export const BLOCK = 64;

/** Folds one 64-byte block at `off` into the state `h`, using `w` as the message schedule. */
export type Compress = (h: Uint32Array, w: Uint32Array, block: Uint8Array, off: number) => void;

export class BlockHash {
  private readonly h: Uint32Array;
  private readonly w: Uint32Array;
  private readonly buf = new Uint8Array(BLOCK);
  private bufLen = 0;
  private total = 0;

  constructor(
    iv: readonly number[],
    scheduleWords: number,
    private readonly compress: Compress,
  ) {
    this.h = new Uint32Array(iv);
    this.w = new Uint32Array(scheduleWords);
  }

  update(data: Uint8Array): this {
    let off = 0;
    this.total += data.length;
    if (this.bufLen > 0) {
      const take = Math.min(BLOCK - this.bufLen, data.length);
      this.buf.set(data.subarray(0, take), this.bufLen);
      this.bufLen += take;
      off = take;
      if (this.bufLen < BLOCK) return this;
      this.compress(this.h, this.w, this.buf, 0);
      this.bufLen = 0;
    }
    while (off + BLOCK <= data.length) {
      this.compress(this.h, this.w, data, off);
      off += BLOCK;
    }
    if (off < data.length) {
      this.buf.set(data.subarray(off), 0);
      this.bufLen = data.length - off;
    }
    return this;
  }

  digest(): Uint8Array {
    const bits = this.total * 8;
    const pad = new Uint8Array((this.bufLen < 56 ? 56 : 120) - this.bufLen + 8);
    pad[0] = 0x80;
    const n = pad.length;
    const hi = Math.floor(bits / 0x100000000);
    const lo = bits >>> 0;
    for (let i = 0; i < 4; i++) {
      pad[n - 8 + i] = hi >>> (24 - i * 8);
      pad[n - 4 + i] = lo >>> (24 - i * 8);
    }
    this.update(pad);
    const out = new Uint8Array(this.h.length * 4);
    for (let i = 0; i < this.h.length; i++) {
      out[i * 4] = this.h[i] >>> 24;
      out[i * 4 + 1] = this.h[i] >>> 16;
      out[i * 4 + 2] = this.h[i] >>> 8;
      out[i * 4 + 3] = this.h[i];
    }
    return out;
  }
}

/** HMAC over the hash `make` creates, with the message given as parts (concatenated). */
export function hmac(make: () => BlockHash, key: Uint8Array, message: readonly Uint8Array[]): Uint8Array {
  const k = key.length > BLOCK ? make().update(key).digest() : key;
  const ipad = new Uint8Array(BLOCK).fill(0x36);
  const opad = new Uint8Array(BLOCK).fill(0x5c);
  for (let i = 0; i < k.length; i++) {
    ipad[i] ^= k[i];
    opad[i] ^= k[i];
  }
  const inner = make().update(ipad);
  for (const m of message) inner.update(m);
  return make().update(opad).update(inner.digest()).digest();
}
