/** VRRPv2 (RFC 3768) and VRRPv3 (RFC 5798) advertisements: decoding and encoding. */
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../util/addr.js';
import { checksumVerifies, internetChecksum, pseudoHeaderSum } from '../util/checksum.js';
import { printableAscii } from '../util/utf8.js';
import { BuildError } from './build.js';
import { problem } from './problem.js';
import type { DecodeProblem, VrrpAdvert } from './types.js';

export const IPPROTO_VRRP = 112;

export interface VrrpIpContext {
  family: 4 | 6;
  srcBytes: Uint8Array;
  dstBytes: Uint8Array;
}

/** A VRRPv3 advertisement can carry a checksum computed the VRRPv2 way (no pseudo-header) by some vendors. */
export interface VrrpDecoded extends VrrpAdvert {
  /** Set on v3 when the pseudo-header checksum fails but the no-pseudo-header form verifies. */
  checksumV2Style?: boolean;
}

/** Decodes a VRRP advertisement (v2 or v3) from the IP payload. */
export function decodeVrrp(payload: Uint8Array, ip: VrrpIpContext): VrrpDecoded | DecodeProblem {
  if (payload.length < 8) {
    return problem('truncated', `VRRP advertisement is ${payload.length} bytes, shorter than the 8-byte header`);
  }
  const version = payload[0] >> 4;
  if (version !== 2 && version !== 3) return problem('malformed', `VRRP version ${version} is neither 2 nor 3`);
  if (version === 2 && ip.family !== 4) return problem('malformed', 'VRRPv2 advertisement over IPv6 (VRRPv2 is IPv4 only)');
  const n = payload[3];
  const addrLen = ip.family === 4 ? 4 : 16;
  const need = 8 + n * addrLen;
  if (payload.length < need) {
    return problem('truncated', `VRRPv${version} advertisement announces ${n} address(es) (${need} bytes) but only ${payload.length} bytes are present`);
  }
  if (version === 3 && payload.length !== need) {
    return problem('malformed', `VRRPv3 advertisement is ${payload.length} bytes but announces ${n} IPv${ip.family} address(es), which makes ${need}`);
  }
  const addresses: string[] = [];
  for (let i = 0; i < n; i++) {
    const off = 8 + i * addrLen;
    addresses.push(addrLen === 4 ? formatIpv4(payload, off) : formatIpv6(payload, off));
  }
  const checksum = (payload[6] << 8) | payload[7];
  const common = { type: payload[0] & 0x0f, vrid: payload[1], priority: payload[2], countAddrs: n, checksum, addresses };
  if (version === 2) {
    const authType = payload[4];
    const adv: VrrpDecoded = {
      kind: 'vrrp2',
      version: 2,
      ...common,
      authType,
      intervalCs: payload[5] * 100,
      checksumOk: checksumVerifies(payload),
    };
    if (authType === 1 && payload.length >= need + 8) {
      let end = need;
      while (end < need + 8 && payload[end] !== 0) end++;
      adv.authText = printableAscii(payload, need, end);
    }
    return adv;
  }
  const pseudo = pseudoHeaderSum(ip.srcBytes, ip.dstBytes, IPPROTO_VRRP, payload.length);
  const ok = checksumVerifies(payload, 0, payload.length, pseudo);
  const adv: VrrpDecoded = {
    kind: 'vrrp3',
    version: 3,
    ...common,
    intervalCs: ((payload[4] & 0x0f) << 8) | payload[5],
    checksumOk: ok,
  };
  if (!ok && ip.family === 4 && checksumVerifies(payload)) adv.checksumV2Style = true;
  return adv;
}

export interface Vrrp2Fields {
  vrid: number;
  priority: number;
  /** Advertisement interval in whole seconds. */
  intervalSec: number;
  addresses: string[];
  /** 0 none (default), 1 simple text. */
  authType?: number;
  /** Simple-text password, at most 8 bytes, zero-padded. */
  authText?: string;
  /** Leave out the 8 authentication bytes (some senders do); default false. */
  omitAuthData?: boolean;
  type?: number;
}

function v4(a: string): Uint8Array {
  const b = parseIpv4(a);
  if (!b) throw new BuildError(`"${a}" is not an IPv4 address`);
  return b;
}

export function encodeVrrp2(f: Vrrp2Fields): Uint8Array {
  const n = f.addresses.length;
  const out = new Uint8Array(8 + 4 * n + (f.omitAuthData ? 0 : 8));
  out[0] = 0x20 | ((f.type ?? 1) & 0x0f);
  out[1] = f.vrid;
  out[2] = f.priority;
  out[3] = n;
  out[4] = f.authType ?? 0;
  out[5] = f.intervalSec;
  f.addresses.forEach((a, i) => out.set(v4(a), 8 + 4 * i));
  if (f.authText !== undefined && !f.omitAuthData) {
    for (let i = 0; i < Math.min(8, f.authText.length); i++) out[8 + 4 * n + i] = f.authText.charCodeAt(i) & 0xff;
  }
  new DataView(out.buffer).setUint16(6, internetChecksum(out));
  return out;
}

export interface Vrrp3Fields {
  family: 4 | 6;
  vrid: number;
  priority: number;
  intervalCs: number;
  addresses: string[];
  /** IP source and destination, needed for the pseudo-header checksum. */
  src: string;
  dst?: string;
  /** Compute the checksum without the pseudo-header, as some vendors do. */
  checksumAsV2?: boolean;
  type?: number;
}

export function encodeVrrp3(f: Vrrp3Fields): Uint8Array {
  const size = f.family === 4 ? 4 : 16;
  const parse = (a: string): Uint8Array => {
    const b = f.family === 4 ? parseIpv4(a) : parseIpv6(a);
    if (!b) throw new BuildError(`"${a}" is not an IPv${f.family} address`);
    return b;
  };
  const n = f.addresses.length;
  const out = new Uint8Array(8 + size * n);
  out[0] = 0x30 | ((f.type ?? 1) & 0x0f);
  out[1] = f.vrid;
  out[2] = f.priority;
  out[3] = n;
  out[4] = (f.intervalCs >> 8) & 0x0f;
  out[5] = f.intervalCs & 0xff;
  f.addresses.forEach((a, i) => out.set(parse(a), 8 + size * i));
  const dst = parse(f.dst ?? (f.family === 4 ? '224.0.0.18' : 'ff02::12'));
  const pseudo = f.checksumAsV2 ? 0 : pseudoHeaderSum(parse(f.src), dst, IPPROTO_VRRP, out.length);
  new DataView(out.buffer).setUint16(6, internetChecksum(out, 0, out.length, pseudo));
  return out;
}
