// Split brain: two sources advertising as master of one group at the same time. Only a master advertises, and a
// backup that accepts the master's advertisements stays quiet for its master-down interval (3 intervals + a skew
// under one interval), so a source still counts as master for 4 of its intervals after its last advertisement.
// When a second source advertises while another one counts as master, a contention opens; it ends when an
// advertisement comes with no other source counting as master. The contention is a split brain once it has
// lasted at least 3 intervals (the larger of the sources') with at least 3 advertisements from each side; a
// preemption leaves the old master one or two advertisements at most. Adverts that alternate are enough: a
// keepalived master that drops its peer's advertisements still postpones its own on each one it receives.
// For VRRP, two sources whose advertisements differ in a setting that makes each router drop the other's (version,
// authentication, VRRPv2 interval, address list) are a split brain as soon as both advertised during the
// contention, or one advertised within 1.5 intervals of the other's advertisement (no backup that heard it would):
// neither can step down for the other, and the one that falls quiet on the wire still holds the addresses.
import type { VrrpAdvert } from '../protocol/types.js';
import type { FindingLog, FindingEntry } from './finding-log.js';
import type { Observation } from './observation.js';
import { vrrpDifferences, vrrpMismatchFix, type VrrpDifference } from './vrrp-mismatch.js';

const MASTER_FACTOR = 4;
const ACTIVE_FACTOR = 1.5;
const MIN_INTERVALS = 3;
const MIN_ADVERTS = 3;

interface Contention {
  start: number;
  /** The earliest advertisement of the contention's sides: that of a source already advertising when it opened. */
  from: number;
  startFrame: number;
  end: number;
  counts: Map<string, number>;
  /** Sources that were advertising when the contention opened (their advertisement before it is not counted). */
  seeded: Set<string>;
  /** An advertisement came within ACTIVE_FACTOR intervals of another source's. */
  overlapped: boolean;
  /** Each contending source's latest advertisement. */
  latest: Map<string, Observation>;
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
      if (src !== o.src && o.time - prev.time <= MASTER_FACTOR * prev.interval) others.push(prev);
    }
    this.last.set(o.src, o);
    if (others.length === 0) {
      this.contention = null;
      return;
    }
    let c = this.contention;
    if (!c) {
      c = { start: o.time, from: o.time, startFrame: o.frame, end: o.time, counts: new Map(), seeded: new Set(), overlapped: false, latest: new Map(), interval: o.interval, key: null };
      for (const p of others) {
        c.counts.set(p.src, 0);
        c.seeded.add(p.src);
        c.from = Math.min(c.from, p.time);
        c.latest.set(p.src, p);
        c.interval = Math.max(c.interval, p.interval);
      }
      this.contention = c;
    }
    c.end = o.time;
    c.interval = Math.max(c.interval, o.interval);
    c.counts.set(o.src, (c.counts.get(o.src) ?? 0) + 1);
    c.latest.set(o.src, o);
    if (others.some((p) => o.time - p.time <= ACTIVE_FACTOR * p.interval)) c.overlapped = true;
    if (c.key) {
      this.log.touch(c.key, o.time, o.frame);
      return;
    }
    const advertised = [...c.counts.values()].filter((n) => n >= 1).length >= 2;
    const qualified = [...c.counts.values()].filter((n) => n >= MIN_ADVERTS).length >= 2;
    const differences = advertised || c.overlapped ? mismatch(c) : [];
    if (differences.length > 0 || (qualified && c.end - c.start >= MIN_INTERVALS * c.interval)) {
      const contention = c;
      c.key = this.log.episodeKey(`split-brain:${o.groupId}`);
      this.log.note(c.key, contention.start, contention.startFrame, () => ({
        kind: 'split-brain',
        severity: 'error',
        vhid: o.vhid,
        group: o.groupId,
        render: (e: FindingEntry) => renderSplitBrain(o, contention, differences, e),
      }));
      this.log.touch(c.key, o.time, o.frame);
    }
  }
}

/** VRRP settings that differ between the contending sources (each against the first of them). */
function mismatch(c: Contention): VrrpDifference[] {
  const sides = [...c.latest.values()].filter((x) => x.ha.kind !== 'carp');
  const out: VrrpDifference[] = [];
  for (const other of sides.slice(1)) {
    out.push(...vrrpDifferences(sides[0].src, sides[0].ha as VrrpAdvert, other.src, other.ha as VrrpAdvert));
  }
  return out;
}

function renderSplitBrain(o: Observation, c: Contention, differences: VrrpDifference[], e: FindingEntry): { message: string; fix: string } {
  const masters = [...c.counts.entries()]
    .map(([src, n]): [string, number] => [src, n + (c.seeded.has(src) ? 1 : 0)])
    .filter(([, n]) => n > 0);
  const sides = masters.map(([src, n]) => `${src} (${n} advertisement${n === 1 ? '' : 's'})`);
  const seconds = (e.lastTime - c.from).toFixed(1);
  const what = o.protocol === 'carp' ? `CARP vhid ${o.vhid}` : `VRRP VRID ${o.vhid}`;
  const head = `split brain: ${masters.length} masters for ${what} on this segment (${o.groupId}): ${sides.join(' and ')} advertised as master side by side for ${seconds} s, from ${iso(c.from)} to ${iso(e.lastTime)}.`;
  if (differences.length > 0) {
    return {
      message: `${capitalise(head)} Their advertisements differ in ${differences.map((d) => d.text).join(', and in ')}, so each router drops the other's advertisements and stays master: the virtual addresses answer from two places (ARP/MAC flapping). A keepalived master postpones its own advertisement on each one it drops, so one of them may fall quiet on the wire while it still holds the addresses.`,
      fix: vrrpMismatchFix(differences),
    };
  }
  return {
    message: `${capitalise(head)} Each node considers itself master, so the virtual address answers from two places (ARP/MAC flapping).`,
    fix: `The nodes are not accepting each other's advertisements. Check that the multicast 224.0.0.18 / ff02::12 passes between them (IGMP snooping without a querier, storm control, separate switches or VLANs), that both use multicast or both unicast to each other, and that the ${o.protocol === 'carp' ? 'vhid' : 'VRID'} has the same password and the same address set on both nodes.`,
  };
}

function iso(t: number): string {
  return new Date(t * 1000).toISOString();
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
