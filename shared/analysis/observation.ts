// One CARP or VRRP advertisement as the analyser's checks see it.
import type { CarpAdvert, DecodedFrame, IpInfo, VrrpAdvert } from '../protocol/types.js';
import type { AdvertKind } from './types.js';
import { announcedInterval, isGivingUp } from './timing.js';

export interface Observation {
  frame: number;
  time: number;
  groupId: string;
  protocol: 'carp' | 'vrrp';
  kind: AdvertKind;
  vhid: number;
  src: string;
  srcMac: string | null;
  vlans: number[];
  ip: IpInfo;
  ha: CarpAdvert | VrrpAdvert;
  /** Announced seconds between advertisements. */
  interval: number;
  /** Bow-out (CARP 255/255) or VRRP priority 0. */
  givingUp: boolean;
}

/**
 * Group id: `carp:1`, `vrrp:42`; IPv6 groups get `/ipv6` (a node advertises a vhid once per address family, from a
 * different source address, so the families are separate timelines); tagged traffic gets `@VLAN` (QinQ: `@outer.inner`).
 */
export function groupIdOf(protocol: 'carp' | 'vrrp', vhid: number, family: 4 | 6, vlans: number[]): string {
  if (vlans.length === 0) {
    const key = (protocol === 'carp' ? 0 : 512) + (family === 6 ? 256 : 0) + vhid;
    return (untagged[key] ??= buildId(protocol, vhid, family, vlans));
  }
  return buildId(protocol, vhid, family, vlans);
}

/** Ids of untagged groups, built once (one string per advertisement would only feed the garbage collector). */
const untagged: string[] = [];

function buildId(protocol: 'carp' | 'vrrp', vhid: number, family: 4 | 6, vlans: number[]): string {
  let id = `${protocol}:${vhid}`;
  if (family === 6) id += '/ipv6';
  if (vlans.length > 0) id += '@' + vlans.join('.');
  return id;
}

export function observe(frame: number, time: number, decoded: DecodedFrame): Observation | null {
  const ha = decoded.ha;
  const ip = decoded.ip;
  if (!ha || !ip || (ha.kind !== 'carp' && ha.kind !== 'vrrp2' && ha.kind !== 'vrrp3')) return null;
  const protocol = ha.kind === 'carp' ? 'carp' : 'vrrp';
  const vhid = ha.kind === 'carp' ? ha.vhid : ha.vrid;
  return {
    frame,
    time,
    groupId: groupIdOf(protocol, vhid, ip.family, decoded.link.vlans),
    protocol,
    kind: ha.kind,
    vhid,
    src: ip.src,
    srcMac: decoded.link.srcMac ?? null,
    vlans: decoded.link.vlans,
    ip,
    ha,
    interval: announcedInterval(ha),
    givingUp: isGivingUp(ha),
  };
}
