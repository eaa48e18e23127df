/**
 * Frame decoder: link layer → IPv4/IPv6 → CARP, VRRP, pfsync, conntrackd, gratuitous ARP and unsolicited NA.
 * Unrelated traffic returns null after a few byte reads and no allocation; objects are built only for
 * HA-relevant frames.
 */
import { linkTypeName } from '../capture/names.js';
import { formatIpv4, formatIpv6, formatMac } from '../util/addr.js';
import { checksumVerifies, pseudoHeaderSum } from '../util/checksum.js';
import { decodeCarp } from './carp.js';
import { CONNTRACKD_PORT, decodeConntrackd } from './conntrackd.js';
import { classifyIp112 } from './ip112.js';
import { decodePfsync, IPPROTO_PFSYNC } from './pfsync.js';
import { problem } from './problem.js';
import type { AddressClaim, DecodedFrame, DecodeProblem, IpInfo, LinkInfo } from './types.js';
import { decodeVrrp } from './vrrp.js';

const ET_IPV4 = 0x0800;
const ET_ARP = 0x0806;
const ET_IPV6 = 0x86dd;
const ET_VLAN = 0x8100;
const ET_QINQ = 0x88a8;
const ET_QINQ_OLD = 0x9100;
const MAX_TAGS = 8;

const P_UDP = 17;
const P_CARP_VRRP = 112;
const P_ICMPV6 = 58;

/** IPv4 with the header checksum result; IPv6 has none. */
export interface DecodedIpInfo extends IpInfo {
  /** IPv4 only. */
  headerChecksumOk?: boolean;
  /** IP payload length declared by the header (may exceed what was captured). */
  payloadLength: number;
}

/** Link-layer decoding state for the frame being decoded (module-level: no per-frame allocation). */
let macOff = -1;
let dstMacOff = -1;
const tags = new Uint16Array(MAX_TAGS);
let tagCount = 0;

function linkInfo(data: Uint8Array): LinkInfo {
  const link: LinkInfo = { vlans: Array.from(tags.subarray(0, tagCount)) };
  if (macOff >= 0) link.srcMac = formatMac(data, macOff);
  if (dstMacOff >= 0) link.dstMac = formatMac(data, dstMacOff);
  return link;
}

const unsupportedCache = new Map<number, DecodeProblem>();

function unsupported(linkType: number): DecodedFrame {
  let p = unsupportedCache.get(linkType);
  if (!p) {
    const name = linkTypeName(linkType);
    p = problem(
      'unsupported-link-type',
      `unsupported link type ${linkType}${name ? ` (${name})` : ''}: CarpDeck reads Ethernet, Linux cooked (SLL/SLL2) and raw IP captures; re-capture with tcpdump -i <ethernet interface> -w FILE, or tcpdump -i any -w FILE on Linux`,
    );
    unsupportedCache.set(linkType, p);
  }
  return { link: { vlans: [] }, problem: p };
}

export interface DecodeOptions {
  /** UDP destination ports treated as conntrackd (default [3780]). */
  conntrackdPorts?: readonly number[];
}

const DEFAULT_PORTS: readonly number[] = [CONNTRACKD_PORT];

/**
 * Decodes one captured frame. Returns null when the frame is neither HA traffic nor an address claim (and
 * nothing about it is wrong); otherwise a DecodedFrame with `ha`, `claim` or `problem` set.
 */
export function decodeFrame(linkType: number, data: Uint8Array, options?: DecodeOptions): DecodedFrame | null {
  macOff = -1;
  dstMacOff = -1;
  tagCount = 0;
  let off: number;
  let et: number;
  const n = data.length;
  switch (linkType) {
    case 1: {
      if (n < 14) return null;
      dstMacOff = 0;
      macOff = 6;
      et = (data[12] << 8) | data[13];
      off = 14;
      break;
    }
    case 113: {
      if (n < 16) return null;
      const hatype = (data[2] << 8) | data[3];
      const alen = (data[4] << 8) | data[5];
      if (hatype === 1 && alen === 6) macOff = 6;
      et = (data[14] << 8) | data[15];
      off = 16;
      break;
    }
    case 276: {
      if (n < 20) return null;
      const hatype = (data[8] << 8) | data[9];
      if (hatype === 1 && data[11] === 6) macOff = 12;
      et = (data[0] << 8) | data[1];
      off = 20;
      break;
    }
    case 101: {
      if (n < 1) return null;
      const v = data[0] >> 4;
      et = v === 4 ? ET_IPV4 : v === 6 ? ET_IPV6 : 0;
      off = 0;
      break;
    }
    case 228:
      et = ET_IPV4;
      off = 0;
      break;
    case 229:
      et = ET_IPV6;
      off = 0;
      break;
    case 0:
    case 108: {
      if (n < 4) return null;
      // NULL: address family in the capturing host's byte order; OpenBSD loop: network order.
      const af = linkType === 108 || (data[0] === 0 && data[1] === 0) ? (data[2] << 8) | data[3] : (data[1] << 8) | data[0];
      et = af === 2 ? ET_IPV4 : af === 10 || af === 24 || af === 28 || af === 30 ? ET_IPV6 : 0;
      off = 4;
      break;
    }
    default:
      return unsupported(linkType);
  }
  while ((et === ET_VLAN || et === ET_QINQ || et === ET_QINQ_OLD) && off + 4 <= n) {
    if (tagCount < MAX_TAGS) tags[tagCount++] = ((data[off] << 8) | data[off + 1]) & 0x0fff;
    et = (data[off + 2] << 8) | data[off + 3];
    off += 4;
  }
  if (et === ET_IPV4) return decodeIpv4(data, off, options);
  if (et === ET_IPV6) return decodeIpv6(data, off, options);
  if (et === ET_ARP) return decodeArp(data, off);
  return null;
}

function decodeIpv4(data: Uint8Array, off: number, options?: DecodeOptions): DecodedFrame | null {
  const n = data.length;
  if (off + 20 > n || data[off] >> 4 !== 4) return null;
  const proto = data[off + 9];
  if (proto !== P_CARP_VRRP && proto !== IPPROTO_PFSYNC && proto !== P_UDP) return null;
  const ihl = (data[off] & 0x0f) * 4;
  const total = (data[off + 2] << 8) | data[off + 3];
  const frag = ((data[off + 6] << 8) | data[off + 7]) & 0x1fff;
  if (frag !== 0) return null;
  const pstart = off + ihl;
  if (proto === P_UDP) {
    if (ihl < 20 || pstart + 8 > n) return null;
    const dport = (data[pstart + 2] << 8) | data[pstart + 3];
    if (!(options?.conntrackdPorts ?? DEFAULT_PORTS).includes(dport)) return null;
  }
  const ip = ipv4Info(data, off, proto, Math.max(0, total - ihl));
  if (ihl < 20) return { link: linkInfo(data), ip, problem: problem('malformed', `IPv4 header length ${ihl} is below 20 bytes`) };
  if (total < ihl) return { link: linkInfo(data), ip, problem: problem('malformed', `IPv4 total length ${total} is smaller than its ${ihl}-byte header`) };
  if (pstart > n) return { link: linkInfo(data), ip, problem: problem('truncated', `IPv4 header (${ihl} bytes with options) cut short by the capture`) };
  ip.headerChecksumOk = checksumVerifies(data, off, pstart);
  const pend = Math.min(off + total, n);
  return decodeTransport(data, ip, data.subarray(pstart, pend), total - ihl);
}

function ipv4Info(data: Uint8Array, off: number, proto: number, payloadLength: number): DecodedIpInfo {
  return {
    family: 4,
    src: formatIpv4(data, off + 12),
    dst: formatIpv4(data, off + 16),
    ttl: data[off + 8],
    tos: data[off + 1],
    protocol: proto,
    srcBytes: data.slice(off + 12, off + 16),
    dstBytes: data.slice(off + 16, off + 20),
    payloadLength,
  };
}

function decodeIpv6(data: Uint8Array, off: number, options?: DecodeOptions): DecodedFrame | null {
  const n = data.length;
  if (off + 40 > n || data[off] >> 4 !== 6) return null;
  let plen = (data[off + 4] << 8) | data[off + 5];
  if (plen === 0) plen = n - off - 40;
  const end = off + 40 + plen;
  let next = data[off + 6];
  let p = off + 40;
  // Extension headers: hop-by-hop, routing, destination options, fragment, AH.
  for (;;) {
    if (next === 0 || next === 43 || next === 60) {
      if (p + 2 > n) return null;
      next = data[p];
      p += (data[p + 1] + 1) * 8;
    } else if (next === 44) {
      if (p + 8 > n) return null;
      if ((((data[p + 2] << 8) | data[p + 3]) & 0xfff8) !== 0) return null;
      next = data[p];
      p += 8;
    } else if (next === 51) {
      if (p + 2 > n) return null;
      next = data[p];
      p += (data[p + 1] + 2) * 4;
    } else break;
  }
  if (next !== P_CARP_VRRP && next !== IPPROTO_PFSYNC && next !== P_UDP && next !== P_ICMPV6) return null;
  if (next === P_UDP) {
    if (p + 8 > n) return null;
    const dport = (data[p + 2] << 8) | data[p + 3];
    if (!(options?.conntrackdPorts ?? DEFAULT_PORTS).includes(dport)) return null;
  }
  if (next === P_ICMPV6 && (p + 1 > n || data[p] !== 136)) return null;
  const ip: DecodedIpInfo = {
    family: 6,
    src: formatIpv6(data, off + 8),
    dst: formatIpv6(data, off + 24),
    ttl: data[off + 7],
    tos: ((data[off] & 0x0f) << 4) | (data[off + 1] >> 4),
    protocol: next,
    srcBytes: data.slice(off + 8, off + 24),
    dstBytes: data.slice(off + 24, off + 40),
    payloadLength: Math.max(0, end - p),
  };
  if (p > end) return { link: linkInfo(data), ip, problem: problem('malformed', 'IPv6 extension headers run past the payload length') };
  return decodeTransport(data, ip, data.subarray(Math.min(p, n), Math.min(end, n)), end - p);
}

function decodeTransport(data: Uint8Array, ip: DecodedIpInfo, payload: Uint8Array, declared: number): DecodedFrame | null {
  const proto = ip.protocol;
  if (proto === P_CARP_VRRP) return decode112(data, ip, payload, declared);
  if (proto === IPPROTO_PFSYNC) {
    const r = decodePfsync(payload);
    return 'code' in r ? { link: linkInfo(data), ip, problem: r } : { link: linkInfo(data), ip, ha: r };
  }
  if (proto === P_UDP) return decodeUdp(data, ip, payload);
  return decodeNa(data, ip, payload);
}

function decode112(data: Uint8Array, ip: DecodedIpInfo, payload: Uint8Array, declared: number): DecodedFrame {
  const link = linkInfo(data);
  if (payload.length < 4) {
    return { link, ip, problem: problem('truncated', `IP protocol 112 payload cut to ${payload.length} bytes by the capture; cannot tell CARP from VRRP`) };
  }
  const kind = classifyIp112(payload[0], payload[3], declared);
  if (kind === null) {
    return {
      link,
      ip,
      problem: problem(
        'unknown-112',
        `IP protocol 112 payload of ${declared} bytes is neither CARP (36 bytes, version 2, byte 3 = 7) nor VRRP (version 2 with 16+4n bytes, or version 3): byte 0 = 0x${payload[0].toString(16).padStart(2, '0')}, byte 3 = ${payload[3]}`,
      ),
    };
  }
  if (payload.length < declared) {
    return { link, ip, problem: problem('truncated', `${kind === 'carp' ? 'CARP' : kind === 'vrrp2' ? 'VRRPv2' : 'VRRPv3'} advertisement cut to ${payload.length} of ${declared} bytes by the capture (snap length too small)`) };
  }
  const r = kind === 'carp' ? decodeCarp(payload) : decodeVrrp(payload, ip);
  return 'code' in r ? { link, ip, problem: r } : { link, ip, ha: r };
}

function decodeUdp(data: Uint8Array, ip: DecodedIpInfo, seg: Uint8Array): DecodedFrame | null {
  if (seg.length < 8) return { link: linkInfo(data), ip, problem: problem('truncated', 'UDP header cut short by the capture') };
  const ulen = (seg[4] << 8) | seg[5];
  const body = seg.subarray(8, ulen >= 8 ? Math.min(ulen, seg.length) : seg.length);
  const r = decodeConntrackd(body);
  if (r === null) return null;
  return 'code' in r ? { link: linkInfo(data), ip, problem: r } : { link: linkInfo(data), ip, ha: r };
}

/** Unsolicited neighbour advertisement (solicited flag clear) with a valid checksum and hop limit 255. */
function decodeNa(data: Uint8Array, ip: DecodedIpInfo, icmp: Uint8Array): DecodedFrame | null {
  if (icmp.length < 24 || icmp[1] !== 0 || ip.ttl !== 255 || icmp[4] & 0x40) return null;
  const sum = pseudoHeaderSum(ip.srcBytes, ip.dstBytes, P_ICMPV6, icmp.length);
  if (!checksumVerifies(icmp, 0, icmp.length, sum)) return null;
  let mac: string | undefined;
  for (let o = 24; o + 8 <= icmp.length; ) {
    const olen = icmp[o + 1] * 8;
    if (olen === 0) break;
    if (icmp[o] === 2 && olen >= 8) {
      mac = formatMac(icmp, o + 2);
      break;
    }
    o += olen;
  }
  const link = linkInfo(data);
  mac ??= link.srcMac;
  if (mac === undefined) return null;
  const claim: AddressClaim = { kind: 'unsolicited-na', address: formatIpv6(icmp, 8), mac };
  return { link, ip, claim };
}

/** Gratuitous ARP: Ethernet/IPv4 ARP (request or reply) whose sender and target protocol addresses are equal. */
function decodeArp(data: Uint8Array, off: number): DecodedFrame | null {
  if (off + 28 > data.length) return null;
  if (data[off] !== 0 || data[off + 1] !== 1 || data[off + 2] !== 8 || data[off + 3] !== 0 || data[off + 4] !== 6 || data[off + 5] !== 4) return null;
  const op = data[off + 7];
  if (data[off + 6] !== 0 || (op !== 1 && op !== 2)) return null;
  const spa = off + 14;
  const tpa = off + 24;
  if (data[spa] !== data[tpa] || data[spa + 1] !== data[tpa + 1] || data[spa + 2] !== data[tpa + 2] || data[spa + 3] !== data[tpa + 3]) return null;
  if ((data[spa] | data[spa + 1] | data[spa + 2] | data[spa + 3]) === 0) return null;
  const claim: AddressClaim = { kind: 'garp', address: formatIpv4(data, spa), mac: formatMac(data, off + 8) };
  return { link: linkInfo(data), claim };
}
