// Split brain: two sources advertising as master of one group at the same time. Only a master advertises. A source
// is "advertising" while its last advertisement is less than 1.5 of its intervals old, and it still counts as
// master for 4 intervals (a backup that accepts its advertisements waits 3 intervals + a skew under one interval
// before it advertises). A contention opens when a source advertises while another counts as master, and ends at
// an advertisement with no other source counting as master. It is a split brain when:
// - two sources advertise side by side: at least 3 advertisements from each, each sent while the other was
//   advertising, over at least 3 intervals (the larger of the sources'); a preemption overlaps one interval at most;
// - or a source that loses the election against another advertised twice while that one was advertising: the
//   adverts take turns. A keepalived master that drops its peer's advertisements still postpones its own on each
//   one it receives, so two such masters go quiet in turn instead of advertising side by side;
// - or, for VRRP, the sources' advertisements differ in a setting that makes each router drop the other's
//   (version, authentication, VRRPv2 interval, address list) and one advertised while another was advertising:
//   neither can step down for the other, and the one that falls quiet on the wire still holds the addresses.
import type { VrrpAdvert } from '../protocol/types.js';
import type { FindingLog, FindingEntry } from './finding-log.js';
import type { Observation } from './observation.js';
import { compareAdverts } from './timing.js';
import { vrrpDifferences, vrrpMismatchFix, type VrrpDifference } from './vrrp-mismatch.js';

const ACTIVE_FACTOR = 1.5;
const MASTER_FACTOR = 4;
const MIN_INTERVALS = 3;
const MIN_ADVERTS = 3;
const MIN_TAKEOVERS = 2;

interface Contention {
  start: number;
  startFrame: number;
  /** The earliest advertisement of the contention's sides: that of a source already advertising when it opened. */
  from: number;
  interval: number;
  key: string | null;
  /** Each source's latest advertisement. */
  latest: Map<string, Observation>;
  /** Advertisements of each source in the contention, plus the one before it of a source that was already master. */
  adverts: Map<string, number>;
  /** Advertisements a source sent while a source that wins the election against it was advertising. */
  takeovers: Map<string, number>;
  /** The current run of advertisements each sent while another source was advertising (null between runs). */
  run: { start: number; counts: Map<string, number> } | null;
  overlapped: boolean;
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
    const masters: Observation[] = [];
    for (const [src, prev] of this.last) {
      if (src !== o.src && o.time - prev.time <= MASTER_FACTOR * prev.interval) masters.push(prev);
    }
    this.last.set(o.src, o);
    if (masters.length === 0) {
      this.contention = null;
      return;
    }
    const c = (this.contention ??= open(o, masters));
    c.interval = Math.max(c.interval, o.interval);
    c.latest.set(o.src, o);
    c.adverts.set(o.src, (c.adverts.get(o.src) ?? 0) + 1);
    const advertising = masters.filter((p) => o.time - p.time <= ACTIVE_FACTOR * p.interval);
    if (advertising.length > 0) {
      c.overlapped = true;
      if (advertising.some((p) => compareAdverts(p.ha, o.ha) <= 0)) c.takeovers.set(o.src, (c.takeovers.get(o.src) ?? 0) + 1);
      c.run ??= { start: o.time, counts: new Map(advertising.map((p) => [p.src, 0])) };
      c.run.counts.set(o.src, (c.run.counts.get(o.src) ?? 0) + 1);
    } else {
      c.run = null;
    }
    if (c.key) {
      this.log.touch(c.key, o.time, o.frame);
      return;
    }
    const differences = c.overlapped ? mismatch(c) : [];
    if (differences.length > 0 || sideBySide(c, o.time) || [...c.takeovers.values()].some((n) => n >= MIN_TAKEOVERS)) {
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

function open(o: Observation, masters: Observation[]): Contention {
  const c: Contention = {
    start: o.time,
    startFrame: o.frame,
    from: o.time,
    interval: o.interval,
    key: null,
    latest: new Map(),
    adverts: new Map(),
    takeovers: new Map(),
    run: null,
    overlapped: false,
  };
  for (const p of masters) {
    c.latest.set(p.src, p);
    c.adverts.set(p.src, 1);
    c.interval = Math.max(c.interval, p.interval);
    c.from = Math.min(c.from, p.time);
  }
  return c;
}

function sideBySide(c: Contention, now: number): boolean {
  if (!c.run || now - c.run.start < MIN_INTERVALS * c.interval) return false;
  return [...c.run.counts.values()].filter((n) => n >= MIN_ADVERTS).length >= 2;
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
  const sides = [...c.adverts.entries()].map(([src, n]) => `${src} (${n} advertisement${n === 1 ? '' : 's'})`);
  const seconds = (e.lastTime - c.from).toFixed(1);
  const what = o.protocol === 'carp' ? `CARP vhid ${o.vhid}` : `VRRP VRID ${o.vhid}`;
  const head = `Split brain: ${c.adverts.size} masters for ${what} on this segment (${o.groupId}): ${sides.join(' and ')} advertised as master side by side for ${seconds} s, from ${iso(c.from)} to ${iso(e.lastTime)}.`;
  if (differences.length > 0) {
    return {
      message: `${head} Their advertisements differ in ${differences.map((d) => d.text).join(', and in ')}, so each router drops the other's advertisements and stays master: the virtual addresses answer from two places (ARP/MAC flapping). A keepalived master postpones its own advertisement on each one it drops, so one of them may fall quiet on the wire while it still holds the addresses.`,
      fix: vrrpMismatchFix(differences),
    };
  }
  return {
    message: `${head} Each node considers itself master, so the virtual address answers from two places (ARP/MAC flapping).`,
    fix: `The nodes are not accepting each other's advertisements. Check that the multicast 224.0.0.18 / ff02::12 passes between them (IGMP snooping without a querier, storm control, separate switches or VLANs), that both use multicast or both unicast to each other, and that the ${o.protocol === 'carp' ? 'vhid' : 'VRID'} has the same password and the same address set on both nodes.`,
  };
}

function iso(t: number): string {
  return new Date(t * 1000).toISOString();
}
