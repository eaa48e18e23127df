// Real advertisement frames (Ethernet bytes, decoded by the shared decoder) for the discovery tests.
import type { Frame } from '../../../shared/capture/types.js';
import { buildCarpFrame, buildEthernet, buildIpv4, ETHERTYPE_IPV4 } from '../../../shared/protocol/build.js';
import { encodeCarp } from '../../../shared/protocol/carp.js';
import { carpHmac } from '../../../shared/protocol/carp-hmac.js';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import { encodePfsync } from '../../../shared/protocol/pfsync.js';
import type { DecodedFrame } from '../../../shared/protocol/types.js';
import { encodeVrrp3 } from '../../../shared/protocol/vrrp.js';

export interface Input {
  frame: Frame;
  decoded: DecodedFrame | null;
}

let index = 0;

function input(time: number, data: Uint8Array): Input {
  const tsSec = Math.floor(time);
  const frame: Frame = { index: ++index, tsSec, tsNsec: Math.round((time - tsSec) * 1e9), linkType: 1, iface: 0, data, origLen: data.length };
  return { frame, decoded: decodeFrame(1, data) };
}

export interface CarpOpts {
  src: string;
  mac: string;
  vhid: number;
  advbase?: number;
  advskew?: number;
  demote?: number;
  tos?: number;
  ttl?: number;
  /** IPv4 id: 0 as carpd sends, anything else for other senders. */
  id?: number;
  password?: string;
  vips?: string[];
  counter?: bigint;
}

export function carp(time: number, o: CarpOpts): Input {
  const counter = o.counter ?? BigInt(Math.round(time * 1000));
  const hmac = o.password ? carpHmac(o.password, o.vhid, o.vips ?? [], counter) : new Uint8Array(20);
  const payload = encodeCarp({ vhid: o.vhid, advbase: o.advbase ?? 1, advskew: o.advskew ?? 0, demote: o.demote ?? 0, counter, hmac });
  const family = o.src.includes(':') ? 6 : 4;
  return input(time, buildCarpFrame({ family, src: o.src, srcMac: o.mac, carp: payload, tos: o.tos, ttl: o.ttl, id: o.id ?? 0x1234 }));
}

export interface VrrpOpts {
  src: string;
  mac: string;
  vrid: number;
  priority: number;
  addresses: string[];
  intervalCs?: number;
}

export function vrrp3(time: number, o: VrrpOpts): Input {
  const payload = encodeVrrp3({ family: 4, vrid: o.vrid, priority: o.priority, intervalCs: o.intervalCs ?? 100, addresses: o.addresses, src: o.src });
  return input(time, buildCarpFrame({ family: 4, src: o.src, srcMac: o.mac, carp: payload, tos: 0xc0 }));
}

export function pfsync(time: number, src: string, dst: string): Input {
  const payload = encodePfsync(6, [{ action: 2, count: 1, recordSize: 8 }]);
  const ip = buildIpv4({ src, dst, ttl: 255, tos: 0, protocol: 240 }, payload);
  return input(time, buildEthernet('01:00:5e:00:00:f0', '02:00:00:00:00:01', ETHERTYPE_IPV4, ip));
}

/** A run of advertisements every `interval` seconds from `from` (inclusive) to `to` (exclusive). */
export function every(from: number, to: number, interval: number, make: (t: number) => Input): Input[] {
  const out: Input[] = [];
  for (let t = from; t < to - 1e-9; t += interval) out.push(make(t));
  return out;
}
