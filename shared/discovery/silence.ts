// Findings only a live view can make: nothing heard at all on the interface, or a group whose master went quiet
// without anyone taking over.
import type { LiveFinding } from './types.js';

export function noAdvertisementsFinding(iface: string | null, since: number, heardBefore: boolean, now: number, quietSeconds: number): LiveFinding | null {
  const quiet = now - since;
  if (quiet < quietSeconds) return null;
  const where = iface ? `on ${iface}` : 'on this interface';
  return {
    kind: 'no-advertisements',
    severity: 'warning',
    time: since,
    message: heardBefore
      ? `No CARP or VRRP advertisements seen ${where} for ${Math.round(quiet)} seconds, although there were some before.`
      : `No CARP or VRRP advertisements seen ${where} for ${Math.round(quiet)} seconds.`,
    fix: 'Check that the cable is in and the link is up; that this port is in the firewalls\' VLAN (an access port in another VLAN, or a trunk that needs a tagged sub-interface); that the switch does not prune multicast (IGMP snooping without a querier drops 224.0.0.18); and avoid Wi-Fi, where access points often do not forward multicast from the wired side.',
    frames: [],
  };
}

export function silentGroupFinding(group: string, vhid: number, master: string, since: number, now: number): LiveFinding {
  return {
    kind: 'group-silent',
    severity: 'error',
    time: since,
    vhid,
    group,
    message: `${group} has been silent for ${Math.round(now - since)} s: its master ${master} stopped advertising and no backup took over, so the virtual address is probably unreachable.`,
    fix: 'Check that the master is running and its link is up. If a backup exists, it should have taken over within about three advertisement intervals: check it runs, hears the segment and is not in maintenance mode.',
    frames: [],
  };
}
