/**
 * The offline analyser's report: what `carpdeck analyze --json` prints and what the Diagnostics view shows.
 * JSON-safe (no bigint, no typed arrays) so it crosses IPC, WebSocket and worker boundaries unchanged.
 */

export type AdvertKind = 'carp' | 'vrrp2' | 'vrrp3';
export type HmacResult = 'ok' | 'bad' | 'unknown';

export interface AdvertRow {
  /** 1-based index among all packets of the file. */
  frame: number;
  /** Epoch seconds. */
  time: number;
  kind: AdvertKind;
  src: string;
  srcMac: string | null;
  dst: string;
  ttl: number;
  /** CARP vhid, or the VRRP VRID. */
  vhid: number;
  /** Id of the group the advertisement belongs to (see GroupSummary.id: family and VLAN included). */
  group?: string;
  checksumOk: boolean;
  // CARP only
  advbase?: number;
  advskew?: number;
  demote?: number;
  /** Decimal string: the 64-bit counter does not fit a JSON number. */
  counter?: string;
  hmac?: HmacResult;
  // VRRP only
  priority?: number;
  intervalCs?: number;
  addresses?: string[];
}

export interface SyncRow {
  frame: number;
  time: number;
  kind: 'pfsync' | 'conntrackd';
  src: string;
  dst: string;
  // pfsync only
  version?: number;
  inserted?: number;
  updated?: number;
  deleted?: number;
  bulkStart?: boolean;
  bulkEnd?: boolean;
  // conntrackd only
  messages?: { type: string; seq: number; flags: number }[];
}

/** Why the master of a group changed. */
export type ChangeCause =
  | 'first-seen'
  | 'preemption'
  | 'takeover-after-silence'
  | 'bow-out'
  | 'priority-zero'
  | 'demotion'
  | 'unknown';

export interface MasterChange {
  time: number;
  frame: number;
  /** Previous master's source address (null for the first master seen). */
  from: string | null;
  to: string;
  cause: ChangeCause;
  /** Plain-language explanation, e.g. "10.0.1.2 took over 3.41 s after 10.0.1.1's last advertisement". */
  explanation: string;
  /** Seconds between the old master's last advertisement and the new master's first (takeovers). */
  gapSeconds?: number;
  /** The protocol's own bound for that gap (CARP: 3 x advbase + advskew/256; VRRP: 3 x interval + skew time). */
  boundSeconds?: number;
}

export interface GroupMaster {
  src: string;
  srcMac: string | null;
  from: number;
  to: number;
  adverts: number;
}

export interface GroupSummary {
  /** Stable id: `${protocol}:${vhid}` (e.g. "carp:1", "vrrp:42"), plus `/ipv6` for IPv6 advertisements and `@vlan` (QinQ `@outer.inner`) when tagged. */
  id: string;
  protocol: 'carp' | 'vrrp';
  vhid: number;
  /** Address family of the group's advertisements (a node advertises a vhid once per family). */
  family?: 4 | 6;
  /** 802.1Q VLAN ids, outermost first, when the advertisements were tagged. */
  vlans?: number[];
  /** Sources seen advertising in this group. */
  sources?: string[];
  adverts: number;
  firstSeen: number;
  lastSeen: number;
  /** Who was master, in order (consecutive periods of one source). */
  masters: GroupMaster[];
  changes: MasterChange[];
  /** Median measured interval between adverts of the same master, seconds. */
  measuredIntervalSeconds: number | null;
  /** Interval the adverts announce (CARP advbase + advskew/256, VRRP interval). */
  announcedIntervalSeconds: number | null;
  /** When a secret was given: which address set verified the HMAC, and how it was found. */
  hmacVerifiedWith?: { addresses: string[]; source: 'given' | 'capture' };
}

export type FindingKind =
  | 'unsupported-link-type'
  | 'split-brain'
  | 'vhid-collision'
  | 'hmac-failure'
  | 'bad-ttl'
  | 'bad-checksum'
  | 'flapping'
  | 'counter-jump'
  | 'own-advert-echo'
  | 'demoted'
  | 'irregular-interval'
  | 'malformed-packet'
  | 'slow-takeover';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  time: number;
  vhid?: number;
  /** Group id (see GroupSummary.id) where the finding is about one group. */
  group?: string;
  /** What was seen, in plain language. */
  message: string;
  /** The likely fix. */
  fix: string;
  /** Frames that show it (first few). */
  frames: number[];
  /** How many packets or events showed it. */
  count?: number;
}

export interface CaptureSummary {
  packets: number;
  firstTime: number | null;
  lastTime: number | null;
  format: 'pcap' | 'pcapng';
  linkTypes: number[];
  /** Set when reading stopped early (truncated or damaged file): the report covers the packets read before it. */
  error?: { code: string; message: string; offset: number };
}

export interface AnalysisReport {
  capture: CaptureSummary;
  adverts: AdvertRow[];
  sync: SyncRow[];
  groups: GroupSummary[];
  findings: Finding[];
}

/** A secret for HMAC checks: `--secret VHID:PASSWORD[@VIP[,VIP...]]`. */
export interface CarpSecret {
  vhid: number;
  password: string;
  /** When absent, try the address sets the capture reveals (GARP / unsolicited NA). */
  vips?: string[];
}
