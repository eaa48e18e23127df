import { describe, expect, it } from 'vitest';
import { decodeCarp, encodeCarp } from '../../../shared/protocol/carp.js';
import { isDecodeProblem } from '../../../shared/protocol/problem.js';
import type { CarpAdvert } from '../../../shared/protocol/types.js';
import { fromHex, toHex } from '../../../shared/util/addr.js';

const hmac = fromHex('a16d0e38bbd4c5f7ff22341d7d23d74050273912')!;

describe('CARP header codec', () => {
  it('encodes version 2, type 1, authlen 7 and a checksum that verifies without a pseudo-header', () => {
    const b = encodeCarp({ vhid: 10, advbase: 1, advskew: 100, demote: 0, counter: 0xec97aa5109cc7854n, hmac });
    expect(b.length).toBe(36);
    expect(toHex(b.subarray(0, 6))).toBe('210a64070001');
    expect(toHex(b.subarray(8, 16))).toBe('ec97aa5109cc7854');
    expect(toHex(b.subarray(16))).toBe(toHex(hmac));
    const d = decodeCarp(b) as CarpAdvert;
    expect(d.checksumOk).toBe(true);
    expect(d.checksum).toBe((b[6] << 8) | b[7]);
  });

  it('decodes every field it encoded', () => {
    const b = encodeCarp({ vhid: 255, advbase: 255, advskew: 255, demote: 32, counter: 0xffffffffffffffffn, hmac });
    const d = decodeCarp(b);
    expect(isDecodeProblem(d)).toBe(false);
    expect(d).toMatchObject({ kind: 'carp', version: 2, type: 1, vhid: 255, advbase: 255, advskew: 255, demote: 32, authlen: 7, counter: 0xffffffffffffffffn, checksumOk: true });
    expect(toHex((d as CarpAdvert).hmac)).toBe(toHex(hmac));
  });

  it('reports a corrupted byte as a failed checksum', () => {
    const b = encodeCarp({ vhid: 1, advbase: 1, advskew: 0, demote: 0, counter: 5n, hmac });
    b[20] ^= 0x40;
    expect((decodeCarp(b) as CarpAdvert).checksumOk).toBe(false);
  });

  it('reports a payload shorter than 36 bytes as truncated', () => {
    const b = encodeCarp({ vhid: 1, advbase: 1, advskew: 0, demote: 0, counter: 5n, hmac });
    const d = decodeCarp(b.subarray(0, 35));
    expect(isDecodeProblem(d) && d.code).toBe('truncated');
  });

  it('keeps the HMAC when the source buffer is reused', () => {
    const b = encodeCarp({ vhid: 1, advbase: 1, advskew: 0, demote: 0, counter: 5n, hmac });
    const d = decodeCarp(b) as CarpAdvert;
    b.fill(0);
    expect(toHex(d.hmac)).toBe(toHex(hmac));
  });
});
