import type { ConntrackdStats } from './stats.js';

/** One poll of conntrackd and the kernel. */
export interface Sample {
  /** Monotonic milliseconds. */
  at: number;
  /** null: conntrackd did not answer. */
  stats: ConntrackdStats | null;
  /** Conntrack events conntrackd has read from the kernel (`conntrackd -s runtime`), null if unknown. */
  eventsReceived: number | null;
  /** `net.netfilter.nf_conntrack_count`, null if unknown. */
  kernelCount: number | null;
}

export type MonitorEvent =
  | { kind: 'peer-lost'; message: string }
  | { kind: 'peer-back'; message: string }
  | { kind: 'stall'; message: string }
  | { kind: 'stall-cleared'; message: string }
  | { kind: 'lost-messages'; message: string };

export interface MonitorOptions {
  /** Window in ms over which frozen counters count as a stall. */
  stallAfterMs: number;
  /** The peer counts as unreachable after this long without a message from it (FTFW sends keep-alives). */
  peerTimeoutMs: number;
}

/**
 * Turns periodic samples into health and events. A stall is the kernel's conntrack table changing during a whole
 * window while conntrackd read no event at all, or while it answered nothing (hung daemon).
 */
export class HealthMonitor {
  private readonly window: Sample[] = [];
  private lastReceivedAt?: number;
  private lastReceived?: number;
  private lostSeen = 0;
  peerReachable = false;
  stall: string | null = null;

  constructor(private readonly opts: MonitorOptions) {}

  /** Forget counters (conntrackd was restarted: its counters start again from zero). */
  reset(): void {
    this.window.length = 0;
    this.lastReceived = undefined;
    this.lostSeen = 0;
  }

  get lastHeardAt(): number | undefined {
    return this.lastReceivedAt;
  }

  push(s: Sample): MonitorEvent[] {
    const out: MonitorEvent[] = [];
    this.window.push(s);
    while (this.window.length > 2 && this.window[1].at <= s.at - this.opts.stallAfterMs) this.window.shift();

    if (s.stats) {
      if (this.lastReceived === undefined || s.stats.packetsReceived !== this.lastReceived) {
        if (this.lastReceived !== undefined || s.stats.packetsReceived > 0) this.lastReceivedAt = s.at;
        this.lastReceived = s.stats.packetsReceived;
      }
      if (s.stats.lost > this.lostSeen) {
        out.push({ kind: 'lost-messages', message: `${s.stats.lost - this.lostSeen} sync message(s) from the peer were lost (${s.stats.lost} in total)` });
        this.lostSeen = s.stats.lost;
      }
    }
    const heard = this.lastReceivedAt !== undefined && s.at - this.lastReceivedAt <= this.opts.peerTimeoutMs;
    if (heard !== this.peerReachable) {
      this.peerReachable = heard;
      out.push(
        heard
          ? { kind: 'peer-back', message: 'messages from the peer arrive on the sync link again' }
          : { kind: 'peer-lost', message: `no message from the peer on the sync link for ${(this.opts.peerTimeoutMs / 1000).toFixed(0)} s` },
      );
    }

    const stall = this.detectStall();
    if (stall !== this.stall) {
      if (stall) out.push({ kind: 'stall', message: stall });
      else out.push({ kind: 'stall-cleared', message: `conntrackd is processing conntrack events again (was: ${this.stall})` });
      this.stall = stall;
    }
    return out;
  }

  private detectStall(): string | null {
    const w = this.window;
    const first = w[0];
    const last = w[w.length - 1];
    if (w.length < 2 || last.at - first.at < this.opts.stallAfterMs) return this.stall;
    const secs = ((last.at - first.at) / 1000).toFixed(0);
    const counts = w.map((x) => x.kernelCount).filter((n): n is number => n !== null);
    const tableChanged = counts.some((n) => n !== counts[0]);
    if (w.every((x) => x.stats === null)) return `conntrackd has not answered for ${secs} s`;
    if (!tableChanged) return null;
    const events = w.map((x) => x.eventsReceived);
    if (events.some((e) => e === null)) return null;
    return events.every((e) => e === events[0]) ? `the conntrack table changed for ${secs} s but conntrackd read no conntrack event from the kernel` : null;
  }
}
