// Split brain: two sources advertising as master of one group at the same time. A source is "advertising" while
// its last advertisement is less than 1.5 of its intervals old. When a second source advertises while another
// one is, a contention opens; it is a split brain once it has lasted at least 3 intervals (the larger of the
// sources') with at least 3 advertisements from each side. A preemption overlaps for one interval at most.
import type { FindingLog, FindingEntry } from './finding-log.js';
import type { Observation } from './observation.js';

const ACTIVE_FACTOR = 1.5;
const MIN_INTERVALS = 3;
const MIN_ADVERTS = 3;

interface Contention {
  start: number;
  startFrame: number;
  end: number;
  counts: Map<string, number>;
  interval: number;
  key: string | null;
}

export class SplitBrainCheck {
  private readonly last = new Map<string, Observation>();
  private contention: Contention | null = null;

  constructor(private readonly log: FindingLog) {}

  feed(o: Observation): void {
    if (o.givingUp) {
      this.last.delete(o.src);
      return;
    }
    const others: Observation[] = [];
    for (const [src, prev] of this.last) {
      if (src !== o.src && o.time - prev.time <= ACTIVE_FACTOR * prev.interval) others.push(prev);
    }
    this.last.set(o.src, o);
    if (others.length === 0) {
      this.contention = null;
      return;
    }
    let c = this.contention;
    if (!c) {
      c = { start: o.time, startFrame: o.frame, end: o.time, counts: new Map(), interval: o.interval, key: null };
      for (const p of others) {
        c.counts.set(p.src, 0);
        c.interval = Math.max(c.interval, p.interval);
      }
      this.contention = c;
    }
    c.end = o.time;
    c.interval = Math.max(c.interval, o.interval);
    c.counts.set(o.src, (c.counts.get(o.src) ?? 0) + 1);
    if (c.key) {
      this.log.touch(c.key, o.time, o.frame);
      return;
    }
    const qualified = [...c.counts.values()].filter((n) => n >= MIN_ADVERTS).length >= 2;
    if (qualified && c.end - c.start >= MIN_INTERVALS * c.interval) {
      const contention = c;
      c.key = this.log.episodeKey(`split-brain:${o.groupId}`);
      this.log.note(c.key, contention.start, contention.startFrame, () => ({
        kind: 'split-brain',
        severity: 'error',
        vhid: o.vhid,
        group: o.groupId,
        render: (e: FindingEntry) => renderSplitBrain(o.groupId, contention, e),
      }));
      this.log.touch(c.key, o.time, o.frame);
    }
  }
}

function renderSplitBrain(group: string, c: Contention, e: FindingEntry): { message: string; fix: string } {
  const sides = [...c.counts.entries()].filter(([, n]) => n > 0).map(([src, n]) => `${src} (${n} advertisements)`);
  const seconds = (e.lastTime - c.start).toFixed(1);
  return {
    message: `Split brain in ${group}: ${sides.join(' and ')} advertised as master at the same time for ${seconds} s. Each node considers itself master, so the virtual address answers from two places (ARP/MAC flapping).`,
    fix: 'The nodes are not accepting each other\'s advertisements. Check that the multicast 224.0.0.18 / ff02::12 passes between them (IGMP snooping without a querier, storm control, separate switches or VLANs), that both use multicast or both unicast to each other, and that the vhid has the same password and the same address set on both nodes.',
  };
}
