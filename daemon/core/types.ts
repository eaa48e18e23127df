import type { VhidConfig } from '../config/schema.js';
import type { CarpAdvert, IpInfo } from '../../shared/protocol/types.js';

export type CarpState = 'INIT' | 'BACKUP' | 'MASTER';

/** Why a received packet was not processed, in the BSD validation order (carp-wire.md §1.6). */
export type RejectReason =
  | 'own-packet'
  | 'bad-ttl'
  | 'short'
  | 'bad-checksum'
  | 'unknown-vhid'
  | 'bad-version'
  | 'bad-auth'
  | 'malformed'
  | 'not-carp';

/**
 * Node-wide demotion sources: `link:<ifname>` (tracked interface down), `send-errors`, `state-sync`,
 * `maintenance`, `manual`. The node's demotion is their sum.
 */
export type DemotionReason = string;

export interface VhidCounters {
  sent: number;
  received: number;
  rejected: Partial<Record<RejectReason, number>>;
}

export interface VhidRuntime {
  key: string;
  config: VhidConfig;
  state: CarpState;
  /** Counter of the next advertisement's predecessor; random per advert until a peer's advert was accepted. */
  counter: bigint;
  counterInit: boolean;
  /** The current master's address as last heard (ours when we are master). */
  masterAddress?: string;
  /** Monotonic ms of the last accepted advertisement from a peer. */
  lastHeardAt?: number;
  lastHeardFrom?: string;
  /** Monotonic ms at which the vhid entered BACKUP (for "no advertisement for X s" when none was heard). */
  backupSince?: number;
  /** A master that bowed out for maintenance: it keeps the VIPs and advertises (demoted) until a peer takes over. */
  yielding?: boolean;
  /** Rate limit for "wrong password" log lines. */
  authWarnAt?: number;
  authWarnSuppressed: number;
  counters: VhidCounters;
}

export interface InterfaceInfo {
  mac?: string;
  addresses: string[];
}

export interface CoreState {
  node: string;
  vhids: VhidRuntime[];
  demotion: Record<DemotionReason, number>;
  /** Link state per tracked interface; absent = not known yet (treated as down). */
  links: Record<string, boolean>;
  trackInterfaces: string[];
  interfaces: Record<string, InterfaceInfo>;
  /** Rejections that match no vhid, by reason. */
  unmatched: Partial<Record<RejectReason, number>>;
  /** Node-wide advertisement send results (3 failures in a row demote, 3 successes in a row undo it). */
  consecutiveSendErrors: number;
  consecutiveSendOk: number;
}

export interface ReceivedPacket {
  iface: string;
  srcMac?: string;
  ip: IpInfo;
  carp: CarpAdvert;
}

export type CoreInput =
  | { type: 'packet'; packet: ReceivedPacket }
  | { type: 'malformed'; iface: string; reason: 'short' | 'malformed' | 'not-carp' }
  | { type: 'timer'; key: string; timer: TimerKind }
  | { type: 'link'; iface: string; up: boolean }
  | { type: 'interface-info'; iface: string; info: InterfaceInfo }
  | { type: 'send-result'; key: string; ok: boolean; error?: string }
  | { type: 'maintenance'; on: boolean }
  | { type: 'demote'; by: number }
  | { type: 'demote-reset' }
  | { type: 'set-demotion'; reason: DemotionReason; amount: number; why?: string }
  | { type: 'stop' }
  | { type: 'reload'; vhids: VhidConfig[]; trackInterfaces: string[] };

export type TimerKind = 'advert' | 'master-down';

export interface AdvertToSend {
  vhid: number;
  advbase: number;
  advskew: number;
  demote: number;
  counter: bigint;
}

export type CoreEvent =
  | { kind: 'state'; vhid: number; interface: string; old: CarpState; new: CarpState; cause: string }
  | { kind: 'demotion'; old: number; new: number; cause: string };

export type Action =
  /** Actions that touch the wire or addresses carry the vhid's config: a vhid removed by reload is gone from the state. */
  | { type: 'send-advert'; key: string; config: VhidConfig; advert: AdvertToSend }
  | { type: 'add-vips'; key: string; config: VhidConfig }
  /** `delayMs` > 0 after a bow-out: release the VIPs once the peer has had time to claim them. */
  | { type: 'remove-vips'; key: string; config: VhidConfig; delayMs: number }
  /** Gratuitous ARP / unsolicited NA for the vhid's VIPs (the shell repeats it a few times). */
  | { type: 'announce'; key: string; config: VhidConfig }
  | { type: 'set-timer'; key: string; timer: TimerKind; ms: number }
  | { type: 'clear-timer'; key: string; timer: TimerKind }
  | { type: 'event'; event: CoreEvent }
  | { type: 'hook'; key: string; vhid: number; interface: string; state: CarpState; cause: string }
  | { type: 'log'; level: 'info' | 'warn'; message: string };

export interface StepContext {
  /** Monotonic milliseconds. */
  now: number;
  random64: () => bigint;
}

export interface StepResult {
  state: CoreState;
  actions: Action[];
}
