/** Frame builders for carpd's sender and for tests: Ethernet, IPv4, IPv6, CARP, gratuitous ARP, unsolicited NA. */
import { parseIpv4, parseIpv6, parseMac } from '../util/addr.js';
import { internetChecksum, pseudoHeaderSum } from '../util/checksum.js';
import { CARP_IPV4_GROUP, CARP_IPV6_GROUP } from './carp.js';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const IPPROTO_CARP = 112;
export const IPPROTO_ICMPV6 = 58;

export type MacInput = string | Uint8Array;
export type IpInput = string | Uint8Array;

export class BuildError extends Error {
  readonly code = 'bad-input';
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

function mac(m: MacInput): Uint8Array {
  const b = typeof m === 'string' ? parseMac(m) : m;
  if (!b || b.length !== 6) throw new BuildError(`"${String(m)}" is not a MAC address (expected aa:bb:cc:dd:ee:ff)`);
  return b;
}

function ipv4(a: IpInput): Uint8Array {
  const b = typeof a === 'string' ? parseIpv4(a) : a;
  if (!b || b.length !== 4) throw new BuildError(`"${String(a)}" is not an IPv4 address`);
  return b;
}

function ipv6(a: IpInput): Uint8Array {
  const b = typeof a === 'string' ? parseIpv6(a) : a;
  if (!b || b.length !== 16) throw new BuildError(`"${String(a)}" is not an IPv6 address`);
  return b;
}

export function buildEthernet(dstMac: MacInput, srcMac: MacInput, ethertype: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(14 + payload.length);
  out.set(mac(dstMac), 0);
  out.set(mac(srcMac), 6);
  out[12] = ethertype >> 8;
  out[13] = ethertype & 0xff;
  out.set(payload, 14);
  return out;
}

export interface Ipv4Fields {
  src: IpInput;
  dst: IpInput;
  ttl: number;
  tos: number;
  protocol: number;
  id?: number;
  /** Don't-fragment flag (default true, as BSD CARP and ucarp send). */
  df?: boolean;
}

/** IPv4 header (20 bytes, no options) with the header checksum, followed by the payload. */
export function buildIpv4(f: Ipv4Fields, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(20 + payload.length);
  const dv = new DataView(out.buffer);
  out[0] = 0x45;
  out[1] = f.tos;
  dv.setUint16(2, out.length);
  dv.setUint16(4, (f.id ?? 0) & 0xffff);
  dv.setUint16(6, f.df === false ? 0 : 0x4000);
  out[8] = f.ttl;
  out[9] = f.protocol;
  out.set(ipv4(f.src), 12);
  out.set(ipv4(f.dst), 16);
  dv.setUint16(10, internetChecksum(out, 0, 20));
  out.set(payload, 20);
  return out;
}

export interface Ipv6Fields {
  src: IpInput;
  dst: IpInput;
  hopLimit: number;
  trafficClass?: number;
  nextHeader: number;
  flowLabel?: number;
}

export function buildIpv6(f: Ipv6Fields, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(40 + payload.length);
  const dv = new DataView(out.buffer);
  const tc = f.trafficClass ?? 0;
  dv.setUint32(0, ((6 << 28) | ((tc & 0xff) << 20) | ((f.flowLabel ?? 0) & 0xfffff)) >>> 0);
  dv.setUint16(4, payload.length);
  out[6] = f.nextHeader;
  out[7] = f.hopLimit;
  out.set(ipv6(f.src), 8);
  out.set(ipv6(f.dst), 24);
  out.set(payload, 40);
  return out;
}

/** IPv4 multicast MAC 01:00:5e + low 23 bits of the group; IPv6 33:33 + low 32 bits. */
export function multicastMac(group: Uint8Array): Uint8Array {
  if (group.length === 4) return Uint8Array.of(0x01, 0x00, 0x5e, group[1] & 0x7f, group[2], group[3]);
  return Uint8Array.of(0x33, 0x33, group[12], group[13], group[14], group[15]);
}

export interface CarpFrameFields {
  family: 4 | 6;
  srcMac: MacInput;
  src: IpInput;
  /** Defaults to 224.0.0.18 / ff02::12. */
  dst?: IpInput;
  /** Ethernet destination; defaults to the multicast MAC of `dst` (ucarp's --nomcast uses broadcast). */
  dstMac?: MacInput;
  /** TTL / hop limit, default 255. */
  ttl?: number;
  /** TOS / traffic class, default 0x10 (IPTOS_LOWDELAY, as OpenBSD and ucarp send). */
  tos?: number;
  id?: number;
  /** The encoded advertisement (encodeCarp) or, for tests, any IP-112 payload. */
  carp: Uint8Array;
}

export function buildCarpFrame(f: CarpFrameFields): Uint8Array {
  const ttl = f.ttl ?? 255;
  const tos = f.tos ?? 0x10;
  if (f.family === 4) {
    const dst = ipv4(f.dst ?? CARP_IPV4_GROUP);
    const ip = buildIpv4({ src: f.src, dst, ttl, tos, protocol: IPPROTO_CARP, id: f.id }, f.carp);
    return buildEthernet(f.dstMac ?? multicastMac(dst), f.srcMac, ETHERTYPE_IPV4, ip);
  }
  const dst = ipv6(f.dst ?? CARP_IPV6_GROUP);
  const ip = buildIpv6({ src: f.src, dst, hopLimit: ttl, trafficClass: tos, nextHeader: IPPROTO_CARP }, f.carp);
  return buildEthernet(f.dstMac ?? multicastMac(dst), f.srcMac, ETHERTYPE_IPV6, ip);
}

const BROADCAST = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

/** Gratuitous ARP: an ARP request, broadcast, whose sender and target IP are both the claimed address. */
export function buildGratuitousArp(srcMac: MacInput, address: IpInput): Uint8Array {
  const m = mac(srcMac);
  const a = ipv4(address);
  const arp = new Uint8Array(28);
  arp.set([0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01]);
  arp.set(m, 8);
  arp.set(a, 14);
  arp.set(a, 24);
  return buildEthernet(BROADCAST, m, ETHERTYPE_ARP, arp);
}

const ALL_NODES = 'ff02::1';

/**
 * Unsolicited neighbour advertisement (ICMPv6 136) to ff02::1, override flag set, target link-layer address
 * option, hop limit 255. The IPv6 source is the target itself.
 */
export function buildUnsolicitedNa(srcMac: MacInput, address: IpInput, src?: IpInput): Uint8Array {
  const m = mac(srcMac);
  const target = ipv6(address);
  const srcBytes = src === undefined ? target : ipv6(src);
  const dst = ipv6(ALL_NODES);
  const icmp = new Uint8Array(32);
  icmp[0] = 136;
  icmp[4] = 0x20;
  icmp.set(target, 8);
  icmp[24] = 2;
  icmp[25] = 1;
  icmp.set(m, 26);
  const sum = pseudoHeaderSum(srcBytes, dst, IPPROTO_ICMPV6, icmp.length);
  new DataView(icmp.buffer).setUint16(2, internetChecksum(icmp, 0, icmp.length, sum));
  const ip = buildIpv6({ src: srcBytes, dst, hopLimit: 255, nextHeader: IPPROTO_ICMPV6 }, icmp);
  return buildEthernet(multicastMac(dst), m, ETHERTYPE_IPV6, ip);
}
