// Who sent an advertisement, guessed from its source MAC, TOS and IPv4 id (carp-wire.md §6, and what the lab's
// peers put on the wire): a hint for people, never used for decisions.
import type { AdvertKind } from '../analysis/types.js';
import type { VendorGuess } from './types.js';

export interface VendorClues {
  kind: AdvertKind;
  srcMac: string | null;
  /** IPv4 TOS / IPv6 traffic class. */
  tos: number;
  /** IPv4 identification field (null for IPv6 or when the link type hides it). */
  ipId: number | null;
}

const TOS_LOWDELAY = 0x10;
const TOS_CS7 = 0xe0;
const TOS_CS6 = 0xc0;

export function guessVendor(c: VendorClues): VendorGuess {
  const mac = c.srcMac?.toLowerCase() ?? null;
  const basis = `source MAC ${mac ?? 'unknown'}, TOS 0x${c.tos.toString(16).padStart(2, '0')}${c.ipId === 0 ? ', IP id 0' : ''}`;
  const guess = (id: VendorGuess['id'], label: string): VendorGuess => ({ id, label, basis });
  if (c.kind !== 'carp') {
    if (mac?.startsWith('00:00:5e:00:01:') || mac?.startsWith('00:00:5e:00:02:')) return guess('vrrp-vmac', 'VRRP router with the virtual MAC (keepalived use_vmac, Cisco, MikroTik, ...)');
    if (c.tos === TOS_CS6) return guess('keepalived', 'keepalived (VRRP)');
    return guess('unknown', 'VRRP router');
  }
  if (mac?.startsWith('00:00:5e:00:00:')) return guess('ucarp', 'ucarp');
  if (mac?.startsWith('01:00:5e:00:01:')) return guess('openbsd', 'OpenBSD CARP (load balancing)');
  if (c.tos === TOS_CS7) return guess('freebsd', 'FreeBSD kernel CARP (pfSense, OPNsense; FreeBSD 13 or later)');
  if (c.tos === TOS_LOWDELAY && c.ipId === 0) return guess('carpd', 'carpd');
  if (mac?.startsWith('00:00:5e:00:01:')) return guess('bsd-kernel', 'BSD kernel CARP (OpenBSD, or FreeBSD before 13)');
  if (c.tos === TOS_LOWDELAY && c.ipId === null) return guess('carpd', 'carpd (or another CARP speaker sending from its own MAC)');
  return guess('unknown', 'CARP speaker sending from its own MAC (scripted or unicast CARP)');
}

/** The IPv4 identification field of an Ethernet frame (after any VLAN tags), or null. */
export function ipv4Id(linkType: number, data: Uint8Array, vlans: number, family: 4 | 6): number | null {
  if (family !== 4 || linkType !== 1) return null;
  const off = 14 + 4 * vlans;
  if (data.length < off + 6) return null;
  return (data[off + 4] << 8) | data[off + 5];
}
