import { describe, expect, it } from 'vitest';
import { decodeCarp } from '../../../shared/protocol/carp.js';
import { decodeConntrackd } from '../../../shared/protocol/conntrackd.js';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import { decodePfsync } from '../../../shared/protocol/pfsync.js';
import type { DecodedFrame } from '../../../shared/protocol/types.js';
import { decodeVrrp } from '../../../shared/protocol/vrrp.js';
import { mutate, prng, seedFrames } from '../../fixtures/corpus.js';

const PROBLEM_CODES = new Set(['unsupported-link-type', 'truncated', 'malformed', 'unknown-112']);
const LINK_TYPES = [0, 1, 101, 108, 113, 228, 229, 276, 105];

function checkDecoded(d: DecodedFrame | null): void {
  if (d === null) return;
  expect(Array.isArray(d.link.vlans)).toBe(true);
  if (d.problem && !PROBLEM_CODES.has(d.problem.code)) throw new Error(`unexpected problem code ${d.problem.code}`);
  if (d.problem && d.problem.message.length === 0) throw new Error('empty problem message');
}

describe('decoder robustness (seeded mutations and truncations)', () => {
  const seeds = seedFrames();

  it('every seed frame decodes cleanly before mutation', () => {
    for (const s of seeds) {
      const d = decodeFrame(s.linkType, s.data);
      expect(d, s.name).not.toBeNull();
      expect(d?.problem, s.name).toBeUndefined();
      expect(d?.ha ?? d?.claim, s.name).toBeDefined();
    }
  });

  it('decodeFrame never throws on 240,000 mutated frames and only reports typed problems', () => {
    const rnd = prng(0xc4a9);
    let problems = 0;
    let decoded = 0;
    for (let n = 0; n < 240_000; n++) {
      const s = seeds[n % seeds.length];
      const data = mutate(s.data, rnd);
      const lt = rnd() < 0.95 ? s.linkType : LINK_TYPES[Math.floor(rnd() * LINK_TYPES.length)];
      let d: DecodedFrame | null;
      try {
        d = decodeFrame(lt, data);
      } catch (e) {
        throw new Error(`seed ${s.name} case ${n} threw ${String(e)} on ${Array.from(data).join(',')}`);
      }
      if (d?.problem) problems++;
      else if (d) decoded++;
      if (n % 50 === 0) checkDecoded(d);
      else if (d?.problem && !PROBLEM_CODES.has(d.problem.code)) throw new Error(`unexpected problem ${d.problem.code}`);
    }
    // The mutations must reach both the problem paths and the successful decode paths.
    expect(problems).toBeGreaterThan(10_000);
    expect(decoded).toBeGreaterThan(10_000);
  });

  it('every truncation of every seed gives null, a decoded value or a typed problem', () => {
    for (const s of seeds) {
      for (let len = 0; len < s.data.length; len++) checkDecoded(decodeFrame(s.linkType, s.data.subarray(0, len)));
    }
  });

  it('the payload codecs return values or DecodeProblems for 160,000 random payloads', () => {
    const rnd = prng(7);
    const ip4 = { family: 4 as const, srcBytes: Uint8Array.of(10, 0, 0, 1), dstBytes: Uint8Array.of(224, 0, 0, 18) };
    const ip6 = { family: 6 as const, srcBytes: new Uint8Array(16), dstBytes: new Uint8Array(16) };
    for (let n = 0; n < 40_000; n++) {
      const len = Math.floor(rnd() * 120);
      const p = Uint8Array.from({ length: len }, () => Math.floor(rnd() * 256));
      if (len > 0 && rnd() < 0.5) p[0] = [0x21, 0x31, 0x05, 0x06, 0x10, 0x1a][Math.floor(rnd() * 6)];
      for (const r of [decodeCarp(p), decodeVrrp(p, n % 2 ? ip4 : ip6), decodePfsync(p), decodeConntrackd(p)]) {
        if (r !== null && 'code' in r && !PROBLEM_CODES.has(r.code)) throw new Error(`unexpected code ${r.code}`);
      }
    }
  });
});
