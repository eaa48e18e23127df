import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../shared/util/addr.js';
import { hmacSha1, sha1, Sha1 } from '../../../shared/util/sha1.js';

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('SHA-1 and HMAC-SHA1', () => {
  it('matches the FIPS 180 examples', () => {
    expect(toHex(sha1(new Uint8Array(0)))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(toHex(sha1(Uint8Array.from('abc', (c) => c.charCodeAt(0))))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });

  it('matches Node crypto for every length around the block and padding boundaries', () => {
    for (let n = 0; n <= 200; n++) {
      const d = bytes(n, n);
      expect(toHex(sha1(d))).toBe(createHash('sha1').update(d).digest('hex'));
    }
  });

  it('gives the same digest whatever the update chunking', () => {
    const d = bytes(1000, 7);
    const s = new Sha1();
    for (let i = 0; i < d.length; i += 37) s.update(d.subarray(i, i + 37));
    expect(toHex(s.digest())).toBe(toHex(sha1(d)));
  });

  it('matches Node crypto HMAC for short, block-sized and long keys', () => {
    for (const klen of [0, 1, 19, 20, 63, 64, 65, 150]) {
      const key = bytes(klen, klen + 100);
      const msg = bytes(77, klen);
      expect(toHex(hmacSha1(key, msg.subarray(0, 10), msg.subarray(10)))).toBe(createHmac('sha1', key).update(msg).digest('hex'));
    }
  });
});
