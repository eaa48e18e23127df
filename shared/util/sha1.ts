/** SHA-1 (FIPS 180-4) and HMAC-SHA1 (RFC 2104) over byte arrays; pure TypeScript for every zone. */
import { BlockHash, hmac } from './block-hash.js';

function compress(h: Uint32Array, w: Uint32Array, block: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    w[i] = ((block[j] << 24) | (block[j + 1] << 16) | (block[j + 2] << 8) | block[j + 3]) >>> 0;
  }
  for (let i = 16; i < 80; i++) {
    const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
    w[i] = ((x << 1) | (x >>> 31)) >>> 0;
  }
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) >>> 0;
    e = d;
    d = c;
    c = ((b << 30) | (b >>> 2)) >>> 0;
    b = a;
    a = t;
  }
  h[0] = (h[0] + a) >>> 0;
  h[1] = (h[1] + b) >>> 0;
  h[2] = (h[2] + c) >>> 0;
  h[3] = (h[3] + d) >>> 0;
  h[4] = (h[4] + e) >>> 0;
}

/** Incremental SHA-1: `update` any number of times, then `digest` once. */
export class Sha1 extends BlockHash {
  constructor() {
    super([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0], 80, compress);
  }
}

export function sha1(...parts: Uint8Array[]): Uint8Array {
  const s = new Sha1();
  for (const p of parts) s.update(p);
  return s.digest();
}

/** HMAC-SHA1 with the message given as one or more parts (concatenated). */
export function hmacSha1(key: Uint8Array, ...message: Uint8Array[]): Uint8Array {
  return hmac(() => new Sha1(), key, message);
}
