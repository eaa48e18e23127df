import { buildCarpFrame, buildGratuitousArp, buildUnsolicitedNa } from '../../shared/protocol/build.js';
import { encodeCarp } from '../../shared/protocol/carp.js';
import { carpHmac } from '../../shared/protocol/carp-hmac.js';
import { parseIp } from '../../shared/util/addr.js';
import { parseVip, type VhidConfig } from '../config/schema.js';
import { vipAddresses } from '../core/receive.js';
import type { AdvertToSend } from '../core/types.js';
import { virtualMac, type InterfaceAddresses } from '../io/ip.js';

export type Frames = { ok: true; frames: Uint8Array[] } | { ok: false; error: string };

const BROADCAST = 'ff:ff:ff:ff:ff:ff';

/** The Ethernet source for this vhid's adverts and announcements: the virtual MAC or the interface's own. */
export function sourceMac(v: VhidConfig, addrs: InterfaceAddresses): string | undefined {
  return v.virtualMac ? virtualMac(v.vhid) : addrs.mac;
}

/**
 * One advertisement frame per address family the vhid uses (multicast), or one to the peer (unicast, to the
 * peer's MAC when the neighbour table knows it, else Ethernet broadcast).
 */
export function advertFrames(v: VhidConfig, advert: AdvertToSend, addrs: InterfaceAddresses | undefined, peerMac?: string): Frames {
  if (!addrs) return { ok: false, error: `${v.interface} does not exist` };
  const srcMac = v.mode === 'unicast' ? addrs.mac : sourceMac(v, addrs);
  if (!srcMac) return { ok: false, error: `${v.interface} has no MAC address` };
  const carp = encodeCarp({ ...advert, hmac: carpHmac(v.password, v.vhid, vipAddresses(v), advert.counter) });
  const families =
    v.mode === 'unicast' && v.peer !== undefined
      ? [parseIp(v.peer)?.length === 4 ? 4 : 6]
      : [...new Set(v.vips.map((x) => parseVip(x)?.family))].filter((f): f is 4 | 6 => f !== undefined);
  const frames: Uint8Array[] = [];
  for (const family of families) {
    const src = family === 4 ? addrs.ipv4 : addrs.ipv6LinkLocal;
    if (!src) return { ok: false, error: `${v.interface} has no ${family === 4 ? 'IPv4 address' : 'IPv6 link-local address'} to send vhid ${v.vhid} adverts from` };
    if (v.mode === 'unicast' && v.peer !== undefined) {
      frames.push(buildCarpFrame({ family: family as 4 | 6, srcMac, src, dst: v.peer, dstMac: peerMac ?? BROADCAST, carp }));
    } else {
      frames.push(buildCarpFrame({ family: family as 4 | 6, srcMac, src, carp }));
    }
  }
  return { ok: true, frames };
}

/** Gratuitous ARP for each IPv4 VIP and an unsolicited neighbour advertisement for each IPv6 VIP. */
export function announceFrames(v: VhidConfig, addrs: InterfaceAddresses | undefined): Frames {
  const mac = addrs && sourceMac(v, addrs);
  if (!mac) return { ok: false, error: `${v.interface} has no MAC address` };
  const frames = v.vips.map((vip) => {
    const p = parseVip(vip)!;
    return p.family === 4 ? buildGratuitousArp(mac, p.address) : buildUnsolicitedNa(mac, p.address);
  });
  return { ok: true, frames };
}
