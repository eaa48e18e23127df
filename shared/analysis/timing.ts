// Timing rules of CARP and VRRP (carp-wire.md §2.2, §5): announced interval, master-down bound, who wins.
import type { CarpAdvert, VrrpAdvert } from '../protocol/types.js';

/** Seconds between two advertisements of a master, as the advertisement announces it. */
export function announcedInterval(ha: CarpAdvert | VrrpAdvert): number {
  if (ha.kind === 'carp') return ha.advbase + ha.advskew / 256;
  return ha.intervalCs / 100;
}

/**
 * How long a backup waits after the master's last advertisement before it takes over, computed from the new
 * master's own values: CARP (FreeBSD, ucarp) 3 x advbase + advskew/256; VRRPv2 3 x interval + (256 - priority)/256;
 * VRRPv3 3 x interval + (256 - priority) x interval/256.
 */
export function masterDownBound(ha: CarpAdvert | VrrpAdvert): number {
  if (ha.kind === 'carp') return 3 * ha.advbase + ha.advskew / 256;
  const interval = ha.intervalCs / 100;
  if (ha.kind === 'vrrp2') return 3 * interval + (256 - ha.priority) / 256;
  return 3 * interval + ((256 - ha.priority) * interval) / 256;
}

/** OpenBSD bow-out (advbase 255 and advskew 255) or VRRP priority 0: the master is giving up. */
export function isGivingUp(ha: CarpAdvert | VrrpAdvert): boolean {
  if (ha.kind === 'carp') return ha.advbase === 255 && ha.advskew === 255;
  return ha.priority === 0;
}

/**
 * Compares two advertisers of one group: negative when `a` wins the election against `b`, 0 on a tie.
 * CARP: lower demote count first (OpenBSD), then the more frequent advertiser; VRRP: higher priority.
 */
export function compareAdverts(a: CarpAdvert | VrrpAdvert, b: CarpAdvert | VrrpAdvert): number {
  if (a.kind === 'carp' && b.kind === 'carp') {
    if (a.demote !== b.demote) return a.demote - b.demote;
    return announcedInterval(a) - announcedInterval(b);
  }
  if (a.kind !== 'carp' && b.kind !== 'carp') return b.priority - a.priority;
  return 0;
}

/** True when `later` shows the same node with a worse standing than `earlier` (raised advskew/demote, lower priority). */
export function isDemotedSince(earlier: CarpAdvert | VrrpAdvert, later: CarpAdvert | VrrpAdvert): boolean {
  if (earlier.kind === 'carp' && later.kind === 'carp') {
    return later.advskew > earlier.advskew || later.demote > earlier.demote || later.advskew >= 240;
  }
  if (earlier.kind !== 'carp' && later.kind !== 'carp') return later.priority < earlier.priority;
  return false;
}
