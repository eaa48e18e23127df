// Ethernet/IPv4 frames for the retransmission nudge (RFC 6069): a TCP probe that makes an endpoint answer with its
// current ACK number, and the ICMP host-unreachable that makes a backed-off TCP sender retransmit now.

export interface Endpoint {
  ip: string;
  port: number;
}

function ipBytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

function checksum(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  let sum = initial;
  for (let i = start; i < end; i += 2) sum += (bytes[i] << 8) | (i + 1 < end ? bytes[i + 1] : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
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

function ipv4Header(b: Uint8Array, at: number, src: string, dst: string, proto: number, payloadLength: number, id: number): void {
  b.set([0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, proto, 0, 0, ...ipBytes(src), ...ipBytes(dst)], at);
  put16(b, at + 2, 20 + payloadLength);
  put16(b, at + 4, id & 0xffff);
  put16(b, at + 10, checksum(b, at, at + 20));
}

/** An IPv4 packet carrying a bare TCP segment (20-byte header, no options). */
export function tcpPacket(from: Endpoint, to: Endpoint, seq: number, ack: number, flags: number, id: number): Uint8Array {
  const b = new Uint8Array(40);
  ipv4Header(b, 0, from.ip, to.ip, 6, 20, id);
  put16(b, 20, from.port);
  put16(b, 22, to.port);
  put32(b, 24, seq);
  put32(b, 28, ack);
  b[32] = 5 << 4;
  b[33] = flags;
  put16(b, 34, 1024);
  const pseudo = [...ipBytes(from.ip), ...ipBytes(to.ip)];
  const initial = ((pseudo[0] << 8) | pseudo[1]) + ((pseudo[2] << 8) | pseudo[3]) + ((pseudo[4] << 8) | pseudo[5]) + ((pseudo[6] << 8) | pseudo[7]) + 6 + 20;
  put16(b, 36, checksum(b, 20, 40, initial));
  return b;
}

export const TCP_ACK = 0x10;

/**
 * ICMP destination unreachable (host) from `router` to `to`, quoting the start of `quoted` (a packet `to` sent).
 * Linux reverts one step of its retransmission backoff per such message when the quoted sequence number is its
 * oldest unacknowledged one, and retransmits at once if the shorter timeout has already passed (RFC 6069).
 */
export function icmpHostUnreachable(router: string, to: string, quoted: Uint8Array, id: number): Uint8Array {
  const inner = quoted.subarray(0, 28);
  const b = new Uint8Array(20 + 8 + inner.length);
  ipv4Header(b, 0, router, to, 1, 8 + inner.length, id);
  b[20] = 3;
  b[21] = 1;
  b.set(inner, 28);
  put16(b, 22, checksum(b, 20, b.length));
  return b;
}

export function ethernetFrame(dstMac: Uint8Array, srcMac: Uint8Array, ipPacket: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + ipPacket.length);
  f.set(dstMac, 0);
  f.set(srcMac, 6);
  f[12] = 0x08;
  f[13] = 0x00;
  f.set(ipPacket, 14);
  return f;
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
  return Uint8Array.from(mac.split(':').map((h) => parseInt(h, 16)));
}
