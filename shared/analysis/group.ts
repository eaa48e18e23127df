// Everything the analyser tracks for one group: its timeline and the checks that look at its advertisements.
import { CadenceCheck } from './cadence.js';
import { CounterCheck } from './counter-check.js';
import type { FindingEntry, FindingLog } from './finding-log.js';
import { FlappingCheck } from './flapping.js';
import type { Observation } from './observation.js';
import { SplitBrainCheck } from './split-brain.js';
import { Timeline } from './timeline.js';
import type { GroupSummary, MasterChange } from './types.js';

/** A takeover gap is "slow" beyond 1.5 x the protocol's bound + 0.5 s (ucarp alone adds up to ~2 s). */
const SLOW_FACTOR = 1.5;
const SLOW_SLACK = 0.5;
const MAX_SOURCES = 64;

export class Group {
  adverts = 0;
  firstSeen = 0;
  lastSeen = 0;
  announced: number | null = null;
  readonly sources = new Set<string>();
  readonly timeline: Timeline;
  private readonly cadence: CadenceCheck;
  private readonly counter: CounterCheck;
  private readonly splitBrain: SplitBrainCheck;
  private readonly flapping: FlappingCheck;

  constructor(
    readonly first: Observation,
    log: FindingLog,
  ) {
    this.firstSeen = first.time;
    this.cadence = new CadenceCheck(log);
    this.counter = new CounterCheck(log);
    this.splitBrain = new SplitBrainCheck(log);
    this.flapping = new FlappingCheck(log, first.groupId, first.vhid);
    this.timeline = new Timeline((change, o) => {
      this.flapping.feed(change);
      checkSlowTakeover(log, change, o);
    });
  }

  feed(o: Observation): void {
    this.adverts++;
    this.lastSeen = o.time;
    if (this.sources.size < MAX_SOURCES) this.sources.add(o.src);
    if (!o.givingUp) this.announced = o.interval;
    if (this.cadence.feed(o)) return;
    this.counter.feed(o);
    this.splitBrain.feed(o);
    this.timeline.feed(o);
  }

  summary(): GroupSummary {
    this.timeline.finish();
    const f = this.first;
    const s: GroupSummary = {
      id: f.groupId,
      protocol: f.protocol,
      vhid: f.vhid,
      family: f.ip.family,
      sources: [...this.sources],
      adverts: this.adverts,
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      masters: this.timeline.masters,
      changes: this.timeline.changes,
      measuredIntervalSeconds: this.timeline.measuredInterval(),
      announcedIntervalSeconds: this.announced,
    };
    if (f.vlans.length > 0) s.vlans = f.vlans;
    return s;
  }
}

function checkSlowTakeover(log: FindingLog, change: MasterChange, o: Observation): void {
  if (change.cause !== 'takeover-after-silence' || change.gapSeconds === undefined || change.boundSeconds === undefined) return;
  const gap = change.gapSeconds;
  const bound = change.boundSeconds;
  if (gap <= bound * SLOW_FACTOR + SLOW_SLACK) return;
  log.note(`slow-takeover:${o.groupId}:${change.frame}`, change.time, change.frame, () => ({
    kind: 'slow-takeover',
    severity: 'warning',
    vhid: o.vhid,
    group: o.groupId,
    render: (_e: FindingEntry) => ({
      message: `${change.to} took over ${o.groupId} ${gap.toFixed(2)} s after ${change.from}'s last advertisement, well beyond the ${bound.toFixed(2)} s the protocol needs with its values: the virtual address was unreachable for that long.`,
      fix: 'The backup noticed the silence late or could not claim the address at once: check that it was running and receiving advertisements before the failure (a backup that does not hear the master is master itself), its CPU load, and for ucarp/keepalived the host scheduling. A lower advbase/advert_int shortens failovers.',
    }),
  }));
}
