/** pfsync (IP protocol 240): per-packet state counts for FreeBSD (version 5) and OpenBSD (version 6) headers. */
import { problem } from './problem.js';
import type { DecodeProblem, PfsyncPacket } from './types.js';

export const IPPROTO_PFSYNC = 240;
export const PFSYNC_HEADER_LEN = 20;

/** FreeBSD v5 record sizes by action (carp-wire.md §7.3); actions missing here cannot be walked past. */
const FREEBSD_RECORD: Record<number, number> = {
  0: 20, 1: 242, 2: 12, 3: 242, 4: 84, 5: 12, 6: 242, 7: 12, 10: 12, 11: 48, 12: 0, 13: 277, 14: 277, 15: 360, 16: 360,
};
const FREEBSD_INS = new Set([1, 13, 15]);
const FREEBSD_UPD = new Set([3, 14, 16, 4]);
const OPENBSD_INS = new Set([13, 1]);
const OPENBSD_UPD = new Set([14, 4, 3]);
const DEL = new Set([6, 7]);
const ACT_CLR = 0;
const ACT_UPD_REQ = 5;
const ACT_BUS = 10;
const ACT_EOF = 12;

/** Legacy (v2/v3) single-action header: version, af, action, count. */
const LEGACY_INS = new Set([1, 6]);
const LEGACY_UPD = new Set([2, 4]);
const LEGACY_DEL = new Set([3, 5, 7]);

function empty(version: number): PfsyncPacket {
  return { kind: 'pfsync', version, inserted: 0, updated: 0, deleted: 0, bulkStart: false, bulkEnd: false, bulkRequest: false, clear: false };
}

export function decodePfsync(payload: Uint8Array): PfsyncPacket | DecodeProblem {
  if (payload.length < 4) return problem('truncated', `pfsync packet is ${payload.length} bytes, too short for a header`);
  const version = payload[0];
  if (version === 2 || version === 3) return decodeLegacy(payload, version);
  if (version !== 5 && version !== 6) {
    return problem('malformed', `pfsync version ${version} is unknown (FreeBSD sends 5, OpenBSD 6, old systems 2-3)`);
  }
  if (payload.length < PFSYNC_HEADER_LEN) {
    return problem('truncated', `pfsync v${version} packet is ${payload.length} bytes, shorter than the ${PFSYNC_HEADER_LEN}-byte header`);
  }
  const p = empty(version);
  const declared = (payload[2] << 8) | payload[3];
  const end = Math.min(declared, payload.length);
  if (declared < PFSYNC_HEADER_LEN) {
    p.problem = `header length ${declared} is shorter than the header itself`;
    return p;
  }
  const openbsd = version === 6;
  let o = PFSYNC_HEADER_LEN;
  while (o < end) {
    if (o + 4 > end) {
      p.problem = `subheader at byte ${o} cut short`;
      break;
    }
    const action = payload[o];
    const count = (payload[o + 2] << 8) | payload[o + 3];
    const size = openbsd ? payload[o + 1] * 4 : FREEBSD_RECORD[action];
    if (size === undefined) {
      p.problem = `unknown FreeBSD pfsync action ${action} at byte ${o}; counts are partial`;
      break;
    }
    o += 4;
    if (!openbsd && action === ACT_EOF) break;
    const recs = o + count * size;
    if (recs > end) {
      p.problem = `action ${action} announces ${count} record(s) of ${size} bytes but the packet ends at byte ${end}; counts are partial`;
    }
    if ((openbsd ? OPENBSD_INS : FREEBSD_INS).has(action)) p.inserted += count;
    else if ((openbsd ? OPENBSD_UPD : FREEBSD_UPD).has(action)) p.updated += count;
    else if (DEL.has(action)) p.deleted += count;
    else if (action === ACT_CLR) p.clear = true;
    else if (action === ACT_BUS && size >= 9) {
      for (let r = o; r + size <= Math.min(recs, end); r += size) {
        if (payload[r + 8] === 1) p.bulkStart = true;
        else if (payload[r + 8] === 2) p.bulkEnd = true;
      }
    } else if (action === ACT_UPD_REQ && size >= 12) {
      for (let r = o; r + size <= Math.min(recs, end); r += size) {
        let zero = true;
        for (let i = 0; i < 12; i++) if (payload[r + i] !== 0) zero = false;
        if (zero) p.bulkRequest = true;
      }
    }
    if (recs > end) break;
    o = recs;
  }
  if (declared > payload.length && !p.problem) p.problem = `header length ${declared} exceeds the ${payload.length} bytes captured; counts are partial`;
  return p;
}

function decodeLegacy(payload: Uint8Array, version: number): PfsyncPacket {
  const p = empty(version);
  const action = payload[2];
  const count = payload[3];
  if (LEGACY_INS.has(action)) p.inserted = count;
  else if (LEGACY_UPD.has(action)) p.updated = count;
  else if (LEGACY_DEL.has(action)) p.deleted = count;
  else if (action === 0) p.clear = true;
  return p;
}

export interface PfsyncSubheader {
  action: number;
  count: number;
  /** Record size in bytes (OpenBSD puts size/4 in the subheader; FreeBSD uses the fixed table). */
  recordSize: number;
  /** Record bytes (count × recordSize); zero-filled when omitted. */
  records?: Uint8Array;
}

/** Encodes a pfsync v5 (FreeBSD) or v6 (OpenBSD) packet, for tests and synthetic captures. */
export function encodePfsync(version: 5 | 6, subs: PfsyncSubheader[]): Uint8Array {
  let len = PFSYNC_HEADER_LEN;
  for (const s of subs) len += 4 + s.count * s.recordSize;
  const out = new Uint8Array(len);
  out[0] = version;
  out[2] = len >> 8;
  out[3] = len & 0xff;
  let o = PFSYNC_HEADER_LEN;
  for (const s of subs) {
    out[o] = s.action;
    out[o + 1] = version === 6 ? s.recordSize / 4 : 0;
    out[o + 2] = s.count >> 8;
    out[o + 3] = s.count & 0xff;
    o += 4;
    if (s.records) out.set(s.records.subarray(0, s.count * s.recordSize), o);
    o += s.count * s.recordSize;
  }
  return out;
}
