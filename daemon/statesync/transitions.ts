import type { PreflightResult } from './preflight.js';
import type { StateSync, StateSyncEvent, StateSyncStatus } from './sync.js';

/** What the state sync needs from carpd. */
export interface CarpdSide {
  /** Sets carpd's `state-sync` demotion reason. */
  setDemotion(amount: number, why: string): void;
  /** Records a state sync event in carpd's event log. */
  event(e: StateSyncEvent): void;
  info(message: string): void;
  warn(message: string): void;
}

/** Demotion while a freshly started node waits for its bulk resync (pfsync uses the same +240). */
export const NOT_READY_DEMOTION = 240;

/**
 * After the last vhid's VIPs are up, wait this long (their first gratuitous ARPs go out) before the after-master
 * work: the retransmission nudge needs both ends to send their answers to this node already.
 */
export const AFTER_VIPS_SETTLE_MS = 50;

/** Linux answers at most one out-of-window segment per connection every 500 ms (tcp_invalid_ratelimit). */
const RENUDGE_GAP_MS = 600;

/**
 * Maps CARP transitions to state sync calls: one commit per takeover (however many vhids become master), awaited
 * before any VIP is added; flush/resync/bulk once the VIPs are up; timers and resync when the last master vhid
 * leaves MASTER; demotion until the startup bulk resync is done.
 */
export class StateSyncTransitions {
  private commit?: Promise<void>;
  private after?: Promise<void>;
  /** vhids between beforeVips and afterVips in this takeover. */
  private pending = 0;
  private settle?: NodeJS.Timeout;

  constructor(
    private readonly sync: StateSync,
    private readonly carpd: CarpdSide,
  ) {}

  async start(): Promise<void> {
    this.carpd.setDemotion(NOT_READY_DEMOTION, 'state sync not ready: waiting for the bulk resync with the peer');
    this.sync.onEvent((e) => this.carpd.event(e));
    this.sync.onReadyChange((ready, why) => {
      if (ready) this.carpd.setDemotion(0, `state sync ready: ${why}`);
    });
    const err = await this.sync.start();
    if (err) {
      this.carpd.warn(`${err.message} (state sync is off; this node stays demoted so a peer with working state sync is preferred)`);
      this.carpd.setDemotion(NOT_READY_DEMOTION, `state sync not ready: ${err.message}`);
    }
  }

  /** Await before adding a vhid's VIPs. Never rejects: a failed commit is logged and the takeover goes on. */
  beforeVips(): Promise<void> {
    this.pending++;
    this.commit ??= this.sync.beforeMaster().then((r) => {
      if (r.ok) this.carpd.info(`state sync: committed ${r.states ?? '?'} state(s) into the kernel in ${r.ms.toFixed(1)} ms before adding the VIPs`);
      else this.carpd.warn(`state sync: commit before adding the VIPs failed after ${r.ms.toFixed(1)} ms: ${r.error}`);
    });
    return this.commit;
  }

  /**
   * Call once a vhid's VIPs are up (and announced). The after-master work runs when no other vhid of this takeover
   * is still adding its VIPs; a vhid that takes over later (its own timer) gets the nudge again, because the ends
   * behind its interface could not answer the first one.
   */
  afterVips(): void {
    this.pending = Math.max(0, this.pending - 1);
    if (this.pending > 0) return;
    clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      if (this.pending > 0) return;
      if (!this.after) this.after = this.sync.afterMaster();
      else this.after = this.after.then(() => new Promise((r) => setTimeout(r, RENUDGE_GAP_MS))).then(() => this.sync.nudge());
    }, AFTER_VIPS_SETTLE_MS);
  }

  /** A vhid changed state; `mastersLeft` is how many vhids of this node are MASTER now. */
  stateChanged(old: string, next: string, mastersLeft: number): void {
    if (old !== 'MASTER' || next === 'MASTER' || mastersLeft > 0) return;
    this.commit = undefined;
    this.after = undefined;
    this.pending = 0;
    clearTimeout(this.settle);
    void this.sync.onBackup();
  }

  status(): StateSyncStatus {
    return this.sync.status();
  }

  /** `carpctl sync-states --resync`. */
  resync(): Promise<{ ok: boolean; message: string }> {
    return this.sync.resync();
  }

  preflight(): Promise<PreflightResult> {
    return this.sync.preflight();
  }

  stop(): Promise<void> {
    clearTimeout(this.settle);
    return this.sync.stop();
  }
}
