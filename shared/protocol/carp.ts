import { checksumVerifies, internetChecksum } from '../util/checksum.js';
import { problem } from './problem.js';
import type { CarpAdvert, DecodeProblem } from './types.js';

/** CARP header length: version/type, vhid, advskew, authlen, demote, advbase, checksum, counter, HMAC. */
export const CARP_LEN = 36;
export const CARP_VERSION = 2;
export const CARP_TYPE_ADVERTISEMENT = 1;
export const CARP_AUTHLEN = 7;
export const CARP_IPV4_GROUP = '224.0.0.18';
export const CARP_IPV6_GROUP = 'ff02::12';

/**
 * Decodes a CARP advertisement (the IP payload). Any version is decoded: receivers check `version === 2` in
 * their own validation order. The checksum covers the whole payload, with no pseudo-header.
 */
export function decodeCarp(payload: Uint8Array): CarpAdvert | DecodeProblem {
  if (payload.length < CARP_LEN) {
    return problem('truncated', `CARP advertisement is ${payload.length} bytes, shorter than the ${CARP_LEN}-byte header`);
  }
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return {
    kind: 'carp',
    version: payload[0] >> 4,
    type: payload[0] & 0x0f,
    vhid: payload[1],
    advskew: payload[2],
    authlen: payload[3],
    demote: payload[4],
    advbase: payload[5],
    checksum: dv.getUint16(6),
    checksumOk: checksumVerifies(payload),
    counter: dv.getBigUint64(8),
    hmac: payload.slice(16, 36),
  };
}

export interface CarpFields {
  vhid: number;
  advbase: number;
  advskew: number;
  demote: number;
  counter: bigint;
  /** 20-byte HMAC-SHA1 (see carp-hmac.ts). */
  hmac: Uint8Array;
  /** Overrides for tests that need malformed headers (defaults 2, 1, 7). */
  version?: number;
  type?: number;
  authlen?: number;
}

/** Encodes a 36-byte CARP advertisement with its checksum filled in. */
export function encodeCarp(f: CarpFields): Uint8Array {
  const out = new Uint8Array(CARP_LEN);
  const dv = new DataView(out.buffer);
  out[0] = (((f.version ?? CARP_VERSION) & 0x0f) << 4) | ((f.type ?? CARP_TYPE_ADVERTISEMENT) & 0x0f);
  out[1] = f.vhid;
  out[2] = f.advskew;
  out[3] = f.authlen ?? CARP_AUTHLEN;
  out[4] = f.demote;
  out[5] = f.advbase;
  dv.setBigUint64(8, BigInt.asUintN(64, f.counter));
  out.set(f.hmac.subarray(0, 20), 16);
  dv.setUint16(6, internetChecksum(out));
  return out;
}
