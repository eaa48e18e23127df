// A group's master timeline: who was master when, and why each change happened (carp-wire.md §2.3-2.7, §5.3).
// Only a master advertises, so the master is the source of the advertisements; a newcomer while the master still
// advertises is a challenger until it is seen twice with the old master quiet (preemption: the old master stops at
// once; ucarp sends one more, after which it must miss its next slot), which keeps a split brain from turning
// into a change on every packet.
import type { ChangeCause, GroupMaster, MasterChange } from './types.js';
import type { Observation } from './observation.js';
import { compareAdverts, isDemotedSince, masterDownBound } from './timing.js';

/** A master counts as silent once this many of its own intervals passed without an advertisement. */
const SILENCE_FACTOR = 1.5;
/**
 * The master's first advertisement within this many of its intervals after a challenger's first one may be its
 * last word (ucarp sends one more before stepping down, and reads packets up to ~1 s late), not an answer.
 */
const EXCUSED_FACTOR = 1.1;
const MEDIAN_SAMPLES = 4096;

interface Reign {
  period: GroupMaster;
  /** Its first advertisement of this period: the baseline for "demoted since". */
  first: Observation;
  last: Observation;
}

interface Challenger {
  first: Observation;
  last: Observation;
  count: number;
  /** Advertisements from the master since the challenger's first one (see `excused`). */
  masterAfter: number;
  /** The master's one advertisement right after the challenger's first (ucarp steps down that way) was not counted. */
  excused: boolean;
}

export class Timeline {
  readonly masters: GroupMaster[] = [];
  readonly changes: MasterChange[] = [];
  private reign: Reign | null = null;
  private challenger: Challenger | null = null;
  private readonly intervals: number[] = [];
  private intervalNext = 0;

  constructor(private readonly onChange: (change: MasterChange, next: Observation) => void) {}

  get master(): string | null {
    return this.reign?.period.src ?? null;
  }

  feed(o: Observation): void {
    const reign = this.reign;
    if (!reign) {
      if (o.givingUp) return;
      this.begin(o, { time: o.time, frame: o.frame, from: null, to: o.src, cause: 'first-seen', explanation: `${o.src} is the first master seen` }, 1);
      return;
    }
    if (o.src === reign.period.src) {
      this.sampleInterval(o.time - reign.last.time, reign.last.interval);
      reign.last = o;
      reign.period.to = o.time;
      reign.period.adverts++;
      const c = this.challenger;
      if (c) {
        if (!c.excused && o.time - c.first.time <= EXCUSED_FACTOR * o.interval) c.excused = true;
        else c.masterAfter++;
        if (o.time - c.last.time > SILENCE_FACTOR * Math.max(c.last.interval, o.interval)) this.challenger = null;
      }
      return;
    }
    if (o.givingUp) return;
    const old = reign.last;
    const gap = o.time - old.time;
    if (old.givingUp) {
      const cause: ChangeCause = old.ha.kind === 'carp' ? 'bow-out' : 'priority-zero';
      const what = old.ha.kind === 'carp' ? 'bowed out (advbase 255, advskew 255)' : 'gave up with a priority-0 advertisement';
      this.takeOver(o, cause, `${o.src} took over ${fmt(gap)} after ${old.src} ${what}`, gap);
      return;
    }
    const c = this.challenger && this.challenger.first.src === o.src ? this.challenger : null;
    if (c) {
      c.count++;
      c.last = o;
      if (c.masterAfter === 0) {
        // After the master's last word, wait until it has missed its next slot.
        if (!c.excused || gap >= old.interval) this.confirmChallenger(c);
      } else if (gap > SILENCE_FACTOR * old.interval) {
        // Both were masters during the contention (the split-brain finding covers it); the lane changes hands now.
        this.commit(o, o, 'takeover-after-silence', `${old.src} stopped advertising; ${o.src} had been advertising alongside it since ${fmtTime(c.first.time)} and remains master`, c.count);
      }
      return;
    }
    if (gap > SILENCE_FACTOR * old.interval) {
      const bound = masterDownBound(o.ha);
      this.takeOver(o, 'takeover-after-silence', `${o.src} took over ${fmt(gap)} after ${old.src}'s last advertisement (the protocol allows ${fmt(bound)})`, gap, bound);
      return;
    }
    this.challenger = { first: o, last: o, count: 1, masterAfter: 0, excused: false };
  }

  /** At the end of the capture a challenger the master did not answer has taken over. */
  finish(): void {
    const c = this.challenger;
    if (c && c.masterAfter === 0) this.confirmChallenger(c);
  }

  /** Median seconds between consecutive advertisements of the same master. */
  measuredInterval(): number | null {
    if (this.intervals.length === 0) return null;
    const sorted = [...this.intervals].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }

  private confirmChallenger(c: Challenger): void {
    const old = this.reign!.last;
    const baseline = this.reign!.first;
    let cause: ChangeCause;
    let explanation: string;
    if (isDemotedSince(baseline.ha, old.ha) || (old.ha.kind === 'carp' && (old.ha.advskew >= 240 || old.ha.demote > 0))) {
      cause = 'demotion';
      const was = standing(baseline) === standing(old) ? '' : `, was ${standing(baseline)}`;
      explanation = `${old.src} was demoted (${standing(old)}${was}) and ${c.first.src} (${standing(c.first)}) took over`;
    } else if (compareAdverts(c.first.ha, old.ha) < 0) {
      cause = 'preemption';
      explanation = `${c.first.src} (${standing(c.first)}) preempted ${old.src} (${standing(old)})`;
    } else {
      cause = 'unknown';
      explanation = `${c.first.src} (${standing(c.first)}) replaced ${old.src} (${standing(old)}) although it is not the better advertiser and ${old.src} had not gone silent (manual failover, restart or tie-break)`;
    }
    this.commit(c.first, c.last, cause, explanation, c.count);
  }

  private takeOver(o: Observation, cause: ChangeCause, explanation: string, gap: number, bound?: number): void {
    const change: MasterChange = { time: o.time, frame: o.frame, from: this.reign!.period.src, to: o.src, cause, explanation, gapSeconds: round(gap) };
    if (bound !== undefined) change.boundSeconds = round(bound);
    this.begin(o, change, 1);
  }

  private commit(first: Observation, last: Observation, cause: ChangeCause, explanation: string, adverts: number): void {
    const change: MasterChange = { time: first.time, frame: first.frame, from: this.reign!.period.src, to: first.src, cause, explanation };
    this.begin(first, change, adverts);
    this.reign!.last = last;
    this.reign!.period.to = last.time;
  }

  private begin(o: Observation, change: MasterChange, adverts: number): void {
    if (this.reign) this.reign.period.to = Math.min(this.reign.period.to, change.time);
    const period: GroupMaster = { src: o.src, srcMac: o.srcMac, from: o.time, to: o.time, adverts };
    this.masters.push(period);
    this.reign = { period, first: o, last: o };
    this.challenger = null;
    this.changes.push(change);
    this.onChange(change, o);
  }

  private sampleInterval(delta: number, announced: number): void {
    if (delta <= 0 || delta > 3 * announced) return;
    if (this.intervals.length < MEDIAN_SAMPLES) this.intervals.push(delta);
    else this.intervals[this.intervalNext++ % MEDIAN_SAMPLES] = delta;
  }
}

function standing(o: Observation): string {
  if (o.ha.kind === 'carp') return `advbase ${o.ha.advbase}, advskew ${o.ha.advskew}${o.ha.demote ? `, demote ${o.ha.demote}` : ''}`;
  return `priority ${o.ha.priority}`;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function fmt(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}

function fmtTime(t: number): string {
  return new Date(t * 1000).toISOString();
}
