/**
 * Live discovery's picture of one segment: what `carpdeck discover --json` prints and what the Discovery view
 * shows. JSON-safe (times are epoch seconds), so it crosses IPC and WebSocket boundaries unchanged.
 */
import type { AdvertKind, ChangeCause, Finding, FindingKind } from '../analysis/types.js';

export type VendorId = 'freebsd' | 'bsd-kernel' | 'openbsd' | 'ucarp' | 'carpd' | 'keepalived' | 'vrrp-vmac' | 'unknown';

/** Who probably sent an advertisement, guessed from its source MAC and TOS (carp-wire.md §6). */
export interface VendorGuess {
  id: VendorId;
  /** For people: "ucarp", "FreeBSD kernel CARP (pfSense, OPNsense)", ... */
  label: string;
  /** What the guess rests on, e.g. "source MAC 00:00:5e:00:00:0b, TOS 0x10". */
  basis: string;
}

export interface GroupMasterInfo {
  address: string;
  mac: string | null;
  vendor: VendorGuess;
  /** Epoch seconds when it became master (as far as discovery saw). */
  since: number;
}

export interface DiscoveredGroup {
  /** The analyser's group id: `carp:1`, `vrrp:42/ipv6`, `carp:5@100`. */
  id: string;
  kind: AdvertKind;
  protocol: 'carp' | 'vrrp';
  vhid: number;
  family: 4 | 6;
  vlans: number[];
  /** The source advertising now (only masters advertise); null once the group fell silent. */
  master: GroupMasterInfo | null;
  /** The last master seen, kept when the group is silent so the table can say who went quiet. */
  lastMaster: string | null;
  // CARP: the master's values
  advbase?: number;
  advskew?: number;
  /** OpenBSD demote counter. */
  demote?: number;
  // VRRP: the master's values
  priority?: number;
  /** VRRP's virtual addresses (CARP never carries them). */
  addresses?: string[];
  /** Seconds between advertisements as announced by the master. */
  announcedInterval: number;
  /** Median measured interval of the master, seconds (null until two advertisements). */
  measuredInterval: number | null;
  /** The master advertises a demotion (CARP advskew >= 240 or demote > 0) or gives up (VRRP priority 0). */
  demoted: boolean;
  state: 'advertising' | 'silent';
  adverts: number;
  firstSeen: number;
  lastSeen: number;
  /** Every source seen advertising in this group. */
  sources: string[];
  masterChanges: number;
  /** Advertisements per second over the last `historySeconds`, oldest first (sparkline). */
  history: number[];
  /** carpd nodes whose beacon (within the last 10 s) says they are backup of this vhid. */
  backups?: { node: string; address: string; verified: boolean }[];
}

/** A carpd node that announced itself (backups included, which never advertise). */
export interface DiscoveredNode {
  name: string;
  version: string;
  /** Its beacon's source: the IPv4 one while IPv4 beacons arrive, else the IPv6 link-local one. */
  address: string;
  /** The IPv6 link-local source of its IPv6 beacons (on this interface's link), when they arrive. */
  address6?: string;
  mac?: string;
  sshPort?: number;
  /** Where to manage it (SSH), when its config names one; otherwise `address` is the best guess. */
  managementAddress?: string;
  vhids: { vhid: number; role: 'master' | 'backup' | 'init' | 'disabled' }[];
  /** Its beacon's signature checked out with a CARP password the user entered; unverified beacons may be forged. */
  verified: boolean;
  lastSeen: number;
}

export interface SyncTraffic {
  kind: 'pfsync' | 'conntrackd';
  src: string;
  dst: string;
  packets: number;
  /** Packets per second over the last 10 s. */
  rate: number;
  firstSeen: number;
  lastSeen: number;
}

export type LiveFindingKind = FindingKind | 'no-advertisements' | 'group-silent';

/** A finding of the offline analyser, or one only a live view can make (silence). */
export interface LiveFinding extends Omit<Finding, 'kind'> {
  kind: LiveFindingKind;
}

export type DiscoveryEvent =
  | {
      seq: number;
      time: number;
      kind: 'master';
      group: string;
      vhid: number;
      /** Null for the first master seen in a group. */
      from: string | null;
      to: string;
      cause: ChangeCause;
      message: string;
    }
  | { seq: number; time: number; kind: 'silent'; group: string; vhid: number; from: string; message: string }
  | { seq: number; time: number; kind: 'capture'; level: 'info' | 'warning' | 'error'; code: string; message: string };

export interface DiscoverySnapshot {
  /** Epoch seconds of this snapshot. */
  time: number;
  /** Epoch seconds when discovery started. */
  started: number;
  interface: string | null;
  packets: number;
  groups: DiscoveredGroup[];
  nodes: DiscoveredNode[];
  sync: SyncTraffic[];
  findings: LiveFinding[];
  /** The most recent events, oldest first. */
  events: DiscoveryEvent[];
}
