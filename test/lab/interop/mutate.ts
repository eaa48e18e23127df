// Copies a classic pcap file with some frames changed in place (same lengths), to put a real peer's packet through
// the paths real peers never exercise: a bad checksum, a wrong TTL.
import { readFileSync, writeFileSync } from 'node:fs';

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/** Calls `edit` with the bytes of each frame named in `frames` (1-based) and writes the result to `dst`. */
export function mutatePcap(src: string, dst: string, edits: Record<number, (frame: Buffer) => void>): void {
  const buf = readFileSync(src);
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && buf.readUInt32BE(0) !== 0xa1b2c3d4 && buf.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`${src} is not a classic pcap file`);
  let off = GLOBAL_HEADER;
  for (let frame = 1; off + RECORD_HEADER <= buf.length; frame++) {
    const caplen = le ? buf.readUInt32LE(off + 8) : buf.readUInt32BE(off + 8);
    const data = buf.subarray(off + RECORD_HEADER, off + RECORD_HEADER + caplen);
    edits[frame]?.(data);
    off += RECORD_HEADER + caplen;
  }
  writeFileSync(dst, buf);
}

/** RFC 1071 checksum of `bytes` (with the checksum field already zeroed). */
function internetChecksum(bytes: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += bytes.readUInt16BE(i);
  if (bytes.length % 2) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const ETHERNET = 14;

const isIpv6 = (frame: Buffer) => frame[ETHERNET] >> 4 === 6;

/** Sets the TTL / hop limit of an Ethernet frame (recomputing the IPv4 header checksum, so only the TTL is wrong). */
export function setTtl(ttl: number): (frame: Buffer) => void {
  return (frame) => {
    if (isIpv6(frame)) {
      frame[ETHERNET + 7] = ttl;
      return;
    }
    const ihl = (frame[ETHERNET] & 0x0f) * 4;
    frame[ETHERNET + 8] = ttl;
    frame.writeUInt16BE(0, ETHERNET + 10);
    frame.writeUInt16BE(internetChecksum(frame.subarray(ETHERNET, ETHERNET + ihl)), ETHERNET + 10);
  };
}

/** Flips one bit of the IP payload at `offset` (CARP/VRRP header offset), leaving its checksum stale. */
export function flipPayloadBit(offset: number): (frame: Buffer) => void {
  return (frame) => {
    const headerLen = isIpv6(frame) ? 40 : (frame[ETHERNET] & 0x0f) * 4;
    frame[ETHERNET + headerLen + offset] ^= 0x01;
  };
}
