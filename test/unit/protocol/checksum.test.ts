import { describe, expect, it } from 'vitest';
import { checksumVerifies, internetChecksum, pseudoHeaderSum } from '../../../shared/util/checksum.js';
import { fromHex } from '../../../shared/util/addr.js';

describe('RFC 1071 checksum', () => {
  it('computes the RFC 1071 worked example', () => {
    // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2, checksum 220d.
    expect(internetChecksum(fromHex('0001f203f4f5f6f7')!)).toBe(0x220d);
  });

  it('verifies a real IPv4 header and detects a flipped bit', () => {
    const hdr = fromHex('4500003c1c4640004006b1e6ac100a63ac100a0c')!;
    expect(checksumVerifies(hdr)).toBe(true);
    hdr[8] ^= 1;
    expect(checksumVerifies(hdr)).toBe(false);
  });

  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(Uint8Array.of(0x12))).toBe(~0x1200 & 0xffff);
  });

  it('includes a pseudo-header sum when given', () => {
    const src = Uint8Array.of(10, 0, 0, 1);
    const dst = Uint8Array.of(224, 0, 0, 18);
    const data = fromHex('3101640100640000' + '0a000001')!;
    const sum = pseudoHeaderSum(src, dst, 112, data.length);
    const c = internetChecksum(data, 0, data.length, sum);
    data[6] = c >> 8;
    data[7] = c & 0xff;
    expect(checksumVerifies(data, 0, data.length, sum)).toBe(true);
    expect(checksumVerifies(data)).toBe(false);
  });
});
