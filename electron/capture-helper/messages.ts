// What the capture helper says on stderr, one JSON object per line (Wireshark's dumpcap has a message pipe for
// the same purpose): status while it runs, and errors with a code, a message and a fix for people.

import { BEACON_PORT } from '../../shared/discovery/beacon.js';

/** The only capture filters the helper accepts (it never takes a filter string from its caller). */
export const FILTERS = {
  /** CARP/VRRP, pfsync, conntrackd, carpd beacons, and the ARP/NDP that reveals virtual addresses. */
  ha: `ip proto 112 or ip6 proto 112 or ip proto 240 or udp port 3780 or udp port ${BEACON_PORT} or arp or icmp6`,
  /** CARP/VRRP only. */
  adverts: 'ip proto 112 or ip6 proto 112',
} as const;

export type FilterName = keyof typeof FILTERS;

export type HelperCode =
  /** Capturing (again) on the interface; `linkType` is set. */
  | 'capturing'
  /** The interface was taken down (or disappeared): capture paused, retrying with backoff. */
  | 'interface-down'
  /** The interface lost its carrier (cable pulled): nothing will arrive until it is back. */
  | 'no-carrier'
  | 'carrier'
  | 'dropped'
  /** The capture worker died (libpcap aborted); the helper restarted it. */
  | 'capture-restarted'
  | 'bad-arguments'
  | 'no-such-interface'
  | 'permission-denied'
  | 'cap-unavailable'
  /** (CaptureSource) the tcpdump fallback is not installed. */
  | 'tcpdump-missing'
  | 'unsupported-link-type'
  | 'capture-failed';

export interface HelperMessage {
  level: 'info' | 'warning' | 'error';
  code: HelperCode;
  message: string;
  fix?: string;
  interface?: string;
  /** pcap LINKTYPE of the stream (with `capturing`). */
  linkType?: number;
  /** Packets dropped because the reader was too slow (with `dropped`). */
  count?: number;
}

/** Exit status of the helper: 0 stdin closed (asked to stop), otherwise the kind of fatal error. */
export const HELPER_EXIT = {
  ok: 0,
  badArguments: 2,
  capUnavailable: 3,
  fatal: 4,
  /** The worker could not open the interface yet (down): the helper tries again. */
  retry: 5,
} as const;

export function parseHelperLine(line: string): HelperMessage | null {
  try {
    const v = JSON.parse(line) as Partial<HelperMessage>;
    if (typeof v === 'object' && v !== null && typeof v.code === 'string' && typeof v.message === 'string') return v as HelperMessage;
  } catch {
    // not one of ours (tcpdump's own lines are handled by the caller)
  }
  return null;
}
