/** conntrackd sync messages (UDP, default port 3780), recognised by their header (carp-wire.md §8). */
import { problem } from './problem.js';
import type { ConntrackdMessage, ConntrackdPacket, DecodeProblem } from './types.js';

export const CONNTRACKD_PORT = 3780;
export const CONNTRACKD_HEADER_LEN = 8;

const TYPE_NAMES: Record<number, string> = {
  0: 'CT_NEW',
  1: 'CT_UPD',
  2: 'CT_DEL',
  3: 'EXP_NEW',
  4: 'EXP_UPD',
  5: 'EXP_DEL',
  10: 'CTL',
};

function looksLikeHeader(b0: number): boolean {
  return b0 >> 4 === 1 && TYPE_NAMES[b0 & 0x0f] !== undefined;
}

/**
 * Decodes a UDP payload as conntrackd messages. Returns null when the payload does not start like a
 * conntrackd message (some other service on the port), a problem when it starts like one but the message
 * lengths do not tile the datagram.
 */
export function decodeConntrackd(payload: Uint8Array): ConntrackdPacket | DecodeProblem | null {
  if (payload.length < CONNTRACKD_HEADER_LEN || !looksLikeHeader(payload[0])) return null;
  const messages: ConntrackdMessage[] = [];
  let o = 0;
  while (o < payload.length) {
    if (o + CONNTRACKD_HEADER_LEN > payload.length) {
      return problem('malformed', `conntrackd datagram has ${payload.length - o} stray byte(s) after message ${messages.length}`);
    }
    const b0 = payload[o];
    if (!looksLikeHeader(b0)) {
      return problem('malformed', `conntrackd message ${messages.length + 1} at byte ${o} has an invalid version/type byte 0x${b0.toString(16).padStart(2, '0')}`);
    }
    const len = (payload[o + 2] << 8) | payload[o + 3];
    if (len < CONNTRACKD_HEADER_LEN || o + len > payload.length) {
      return problem('malformed', `conntrackd message ${messages.length + 1} at byte ${o} has length ${len}, which does not fit the ${payload.length}-byte datagram`);
    }
    const type = b0 & 0x0f;
    messages.push({
      type,
      typeName: TYPE_NAMES[type],
      flags: payload[o + 1],
      seq: ((payload[o + 4] << 24) | (payload[o + 5] << 16) | (payload[o + 6] << 8) | payload[o + 7]) >>> 0,
      len,
    });
    o += len;
  }
  return { kind: 'conntrackd', messages };
}

export interface ConntrackdMessageFields {
  type: number;
  flags?: number;
  seq: number;
  /** Body after the 8-byte header (TLVs, or from/to for CTL ACK/NACK). */
  body?: Uint8Array;
}

/** Encodes one datagram holding the given messages, for tests and synthetic captures. */
export function encodeConntrackd(messages: ConntrackdMessageFields[]): Uint8Array {
  const total = messages.reduce((n, m) => n + CONNTRACKD_HEADER_LEN + (m.body?.length ?? 0), 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  let o = 0;
  for (const m of messages) {
    const len = CONNTRACKD_HEADER_LEN + (m.body?.length ?? 0);
    out[o] = 0x10 | (m.type & 0x0f);
    out[o + 1] = m.flags ?? 0;
    v.setUint16(o + 2, len);
    v.setUint32(o + 4, m.seq >>> 0);
    if (m.body) out.set(m.body, o + 8);
    o += len;
  }
  return out;
}
