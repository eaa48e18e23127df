// Just enough of libpcap's file format (what tcpdump -w writes) to check frames in lab assertions.
import { readFileSync } from 'node:fs';

export interface Frame {
  /** Unix time in seconds. */
  time: number;
  data: Buffer;
}

export interface IpPacket {
  family: 4 | 6;
  src: string;
  dst: string;
  /** TTL or hop limit. */
  ttl: number;
  proto: number;
  payload: Buffer;
  ethSrc: string;
}

export function readPcap(file: string): Frame[] {
  const buf = readFileSync(file);
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && buf.readUInt32BE(0) !== 0xa1b2c3d4 && buf.readUInt32BE(0) !== 0xa1b23c4d) {
    throw new Error(`${file} is not a pcap file (magic ${magic.toString(16)})`);
  }
  const nano = (le ? magic : buf.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const frames: Frame[] = [];
  for (let off = 24; off + 16 <= buf.length; ) {
    const caplen = u32(off + 8);
    frames.push({ time: u32(off) + u32(off + 4) / (nano ? 1e9 : 1e6), data: buf.subarray(off + 16, off + 16 + caplen) });
    off += 16 + caplen;
  }
  return frames;
}

const mac = (b: Buffer) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
const ip6 = (b: Buffer) => Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':');

/** Decodes the IP layer of an Ethernet frame (no VLAN tags, no IPv6 extension headers), or undefined. */
export function ipOf(frame: Frame): IpPacket | undefined {
  const d = frame.data;
  if (d.length < 14) return undefined;
  const type = d.readUInt16BE(12);
  const ethSrc = mac(d.subarray(6, 12));
  if (type === 0x0800 && d.length >= 34) {
    const ihl = (d[14] & 0x0f) * 4;
    const total = d.readUInt16BE(16);
    return {
      family: 4,
      src: [...d.subarray(26, 30)].join('.'),
      dst: [...d.subarray(30, 34)].join('.'),
      ttl: d[22],
      proto: d[23],
      payload: d.subarray(14 + ihl, 14 + total),
      ethSrc,
    };
  }
  if (type === 0x86dd && d.length >= 54) {
    const plen = d.readUInt16BE(18);
    return { family: 6, src: ip6(d.subarray(22, 38)), dst: ip6(d.subarray(38, 54)), ttl: d[21], proto: d[20], payload: d.subarray(54, 54 + plen), ethSrc };
  }
  return undefined;
}

/** The one's-complement sum check used by CARP (over its 36-byte header, no pseudo-header). */
export function checksumOk(b: Buffer): boolean {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += b.readUInt16BE(i);
  if (b.length % 2) s += b[b.length - 1] << 8;
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return s === 0xffff;
}
