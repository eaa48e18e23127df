// Advertisement cadence of each source: irregular intervals (a master that misses or bunches its advertisements,
// or a capture that drops packets) and echoes (the same advertisement seen twice within a moment: a loop, a
// hypervisor teaming that reflects the node's own packets, or a capture on several interfaces at once).
import type { FindingEntry, FindingLog } from './finding-log.js';
import type { Observation } from './observation.js';

const WINDOW = 20;
const IRREGULAR_IN_WINDOW = 5;
const SAMPLES = 256;
const ECHO_SECONDS = 0.1;

interface SourceCadence {
  last: Observation;
  flags: boolean[];
  deltas: number[];
  samples: number;
}

export class CadenceCheck {
  private readonly sources = new Map<string, SourceCadence>();

  constructor(private readonly log: FindingLog) {}

  /** Returns true when `o` is an echo of the source's previous advertisement (the caller then ignores it). */
  feed(o: Observation): boolean {
    const s = this.sources.get(o.src);
    if (!s) {
      this.sources.set(o.src, { last: o, flags: [], deltas: [], samples: 0 });
      return false;
    }
    const prev = s.last;
    const delta = o.time - prev.time;
    if (isEcho(prev, o, delta)) {
      this.noteEcho(o, prev);
      return true;
    }
    s.last = o;
    if (o.givingUp || prev.givingUp || delta > 3 * prev.interval) return false;
    const announced = prev.interval;
    const irregular = Math.abs(delta - announced) > Math.max(0.25 * announced, 0.05);
    s.flags.push(irregular);
    if (s.flags.length > WINDOW) s.flags.shift();
    s.deltas[s.samples++ % SAMPLES] = delta;
    if (!irregular) return false;
    const key = `irregular-interval:${o.groupId}:${o.src}`;
    if (this.log.has(key)) {
      this.log.touch(key, o.time, o.frame);
      return false;
    }
    if (s.flags.filter(Boolean).length < IRREGULAR_IN_WINDOW) return false;
    this.log.note(key, o.time, o.frame, () => ({
      kind: 'irregular-interval',
      severity: 'warning',
      vhid: o.vhid,
      group: o.groupId,
      render: (e: FindingEntry) => ({
        message: `${o.src} in ${o.groupId} announces an interval of ${announced.toFixed(3)} s but its advertisements came ${e.count} times at irregular intervals (median measured ${median(s.deltas).toFixed(3)} s).`,
        fix: 'An overloaded or virtualised node delays its advertisements, and a backup may then take over needlessly. Check the node\'s CPU load and scheduling, the link for errors, and whether the capture itself dropped packets (tcpdump reports "packets dropped by kernel").',
      }),
    }));
    return false;
  }

  private noteEcho(o: Observation, prev: Observation): void {
    this.log.note(`own-advert-echo:${o.groupId}:${o.src}`, o.time, o.frame, () => ({
      kind: 'own-advert-echo',
      severity: 'warning',
      vhid: o.vhid,
      group: o.groupId,
      render: (e: FindingEntry) => ({
        message: `${o.src}'s advertisements in ${o.groupId} were seen twice within ${ECHO_SECONDS * 1000} ms, identical (${e.count} time${e.count === 1 ? '' : 's'}, first at frame ${prev.frame}/${e.frames[0]}): the node's own advertisement comes back to it. A node that hears itself can step down or log "replay or network loop detected".`,
        fix: 'Look for a loop on the segment (switch loop, bridged interfaces) or a hypervisor that reflects the node\'s packets (VMware NIC teaming: use "Route based on originating virtual port" and enable "net.reversePathFwdCheckPromisc"). If the capture was taken on several interfaces at once ("any"), the duplicate may only be the capture\'s.',
      }),
    }));
  }
}

function isEcho(prev: Observation, o: Observation, delta: number): boolean {
  if (delta < 0 || delta >= Math.min(ECHO_SECONDS, 0.25 * prev.interval)) return false;
  if (prev.ha.kind === 'carp' && o.ha.kind === 'carp') {
    return prev.ha.counter === o.ha.counter && prev.ha.advskew === o.ha.advskew && prev.ha.advbase === o.ha.advbase;
  }
  if (prev.ha.kind !== 'carp' && o.ha.kind !== 'carp') return prev.ha.priority === o.ha.priority && prev.ha.checksum === o.ha.checksum;
  return false;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}
