// CARP counter continuity (carp-wire.md §1.4). FreeBSD and ucarp nodes that hear each other share one sequence:
// every advertisement carries the previous one's counter + 1, whichever node sent it. OpenBSD repeats a constant
// per-node cookie. Anything else is a random value: the node has not accepted an advertisement from its peer
// (it does not hear it, or the HMAC fails). A master whose backup stays silent never accepts a peer advertisement,
// so random values only mean something while another source of the group is advertising nearby.
import type { FindingEntry, FindingLog } from './finding-log.js';
import type { Observation } from './observation.js';

const WRAP = 1n << 64n;

export class CounterCheck {
  private readonly bySource = new Map<string, bigint>();
  private readonly lastTime = new Map<string, number>();
  private lastAny: { src: string; counter: bigint } | null = null;
  private readonly examples = new Map<string, string>();

  constructor(private readonly log: FindingLog) {}

  feed(o: Observation): void {
    if (o.ha.kind !== 'carp') return;
    const counter = o.ha.counter;
    const own = this.bySource.get(o.src);
    const peer = this.lastAny && this.lastAny.src !== o.src ? this.lastAny.counter : undefined;
    this.bySource.set(o.src, counter);
    this.lastTime.set(o.src, o.time);
    this.lastAny = { src: o.src, counter };
    if (own === undefined || counter === own || counter === (own + 1n) % WRAP) return;
    if (peer !== undefined && counter === (peer + 1n) % WRAP) return;
    if (!this.peerNearby(o)) return;
    const key = `counter-jump:${o.groupId}:${o.src}`;
    if (!this.examples.has(key)) this.examples.set(key, `from ${own} to ${counter}`);
    const example = this.examples.get(key)!;
    this.log.note(key, o.time, o.frame, () => ({
      kind: 'counter-jump',
      severity: 'warning',
      vhid: o.vhid,
      group: o.groupId,
      render: (e: FindingEntry) => ({
        message: `The CARP counter of ${o.src} in ${o.groupId} jumped to an unrelated value ${e.count} time${e.count === 1 ? '' : 's'} (first ${example}) while another node of the group was advertising, instead of continuing the pair's sequence by one: ${o.src} does not accept its peer's advertisements (it does not receive them, or their HMAC fails).`,
        fix: 'Make sure the nodes receive each other\'s advertisements (multicast 224.0.0.18 / ff02::12 passes between them, or unicast peers point at each other) and that the vhid has the same password and address set on both. A single jump right after a node starts is harmless.',
      }),
    }));
  }

  private peerNearby(o: Observation): boolean {
    for (const [src, t] of this.lastTime) {
      if (src !== o.src && t >= o.time - 3 * o.interval) return true;
    }
    return false;
  }
}
