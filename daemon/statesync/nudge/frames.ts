// Ethernet/IPv4 frames for the retransmission nudge (RFC 6069): a TCP probe that makes an endpoint answer with its
// current ACK number, and the ICMP host-unreachable that makes a backed-off TCP sender retransmit now.
import { buildEthernet, buildIpv4 } from '../../../shared/protocol/build.js';
import { parseMac } from '../../../shared/util/addr.js';
import { internetChecksum, pseudoHeaderSum } from '../../../shared/util/checksum.js';

export interface Endpoint {
  ip: string;
  port: number;
}

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function put32(b: Uint8Array, at: number, v: number): void {
  put16(b, at, Math.floor(v / 0x10000) & 0xffff);
  put16(b, at + 2, v & 0xffff);
}

function get32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

/** IPv4 as the host's own stack sends it: TTL 64, DF set. */
function ipv4Packet(src: string, dst: string, protocol: number, id: number, payload: Uint8Array): Uint8Array {
  return buildIpv4({ src, dst, ttl: 64, tos: 0, protocol, id }, payload);
}

/** An IPv4 packet carrying a bare TCP segment (20-byte header, no options). */
export function tcpPacket(from: Endpoint, to: Endpoint, seq: number, ack: number, flags: number, id: number): Uint8Array {
  const t = new Uint8Array(20);
  put16(t, 0, from.port);
  put16(t, 2, to.port);
  put32(t, 4, seq);
  put32(t, 8, ack);
  t[12] = 5 << 4;
  t[13] = flags;
  put16(t, 14, 1024);
  const packet = ipv4Packet(from.ip, to.ip, 6, id, t);
  put16(packet, 36, internetChecksum(packet, 20, 40, pseudoHeaderSum(packet.subarray(12, 16), packet.subarray(16, 20), 6, 20)));
  return packet;
}

export const TCP_ACK = 0x10;

/**
 * ICMP destination unreachable (host) from `router` to `to`, quoting the start of `quoted` (a packet `to` sent).
 * Linux reverts one step of its retransmission backoff per such message when the quoted sequence number is its
 * oldest unacknowledged one, and retransmits at once if the shorter timeout has already passed (RFC 6069).
 */
export function icmpHostUnreachable(router: string, to: string, quoted: Uint8Array, id: number): Uint8Array {
  const inner = quoted.subarray(0, 28);
  const icmp = new Uint8Array(8 + inner.length);
  icmp[0] = 3;
  icmp[1] = 1;
  icmp.set(inner, 8);
  put16(icmp, 2, internetChecksum(icmp));
  return ipv4Packet(router, to, 1, id, icmp);
}

export function ethernetFrame(dstMac: Uint8Array, srcMac: Uint8Array, ipPacket: Uint8Array): Uint8Array {
  return buildEthernet(dstMac, srcMac, 0x0800, ipPacket);
}

export interface SeenAck {
  from: Endpoint;
  to: Endpoint;
  ack: number;
}

/** A TCP segment with ACK set in an Ethernet/IPv4 frame, or null. */
export function parseTcpAck(frame: Uint8Array): SeenAck | null {
  if (frame.length < 14 + 20 + 20 || frame[12] !== 0x08 || frame[13] !== 0x00) return null;
  const ip = 14;
  if (frame[ip] >> 4 !== 4 || frame[ip + 9] !== 6) return null;
  const tcp = ip + (frame[ip] & 0x0f) * 4;
  if (frame.length < tcp + 20 || !(frame[tcp + 13] & TCP_ACK)) return null;
  const addr = (at: number) => `${frame[at]}.${frame[at + 1]}.${frame[at + 2]}.${frame[at + 3]}`;
  return {
    from: { ip: addr(ip + 12), port: (frame[tcp] << 8) | frame[tcp + 1] },
    to: { ip: addr(ip + 16), port: (frame[tcp + 2] << 8) | frame[tcp + 3] },
    ack: get32(frame, tcp + 8),
  };
}

export function macBytes(mac: string): Uint8Array {
  const bytes = parseMac(mac);
  if (!bytes) throw new Error(`"${mac}" is not a MAC address`);
  return bytes;
}
