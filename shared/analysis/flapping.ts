// Flapping: more than 3 master changes of one group within 60 s. One finding per episode; an episode lasts while
// changes keep coming less than 60 s apart.
import type { FindingEntry, FindingLog } from './finding-log.js';
import type { MasterChange } from './types.js';

const WINDOW = 60;
const MAX_CHANGES = 3;

export class FlappingCheck {
  private recent: MasterChange[] = [];
  private episode: { key: string; last: number; nodes: Set<string> } | null = null;

  constructor(
    private readonly log: FindingLog,
    private readonly groupId: string,
    private readonly vhid: number,
  ) {}

  feed(change: MasterChange): void {
    if (change.cause === 'first-seen') return;
    const t = change.time;
    this.recent = this.recent.filter((c) => c.time >= t - WINDOW);
    this.recent.push(change);
    if (this.episode && t - this.episode.last <= WINDOW) {
      this.log.touch(this.episode.key, t, change.frame);
      this.episode.last = t;
      this.episode.nodes.add(change.to);
      return;
    }
    if (this.recent.length <= MAX_CHANGES) return;
    const key = this.log.episodeKey(`flapping:${this.groupId}`);
    const first = this.recent[0];
    const nodes = new Set<string>();
    this.episode = { key, last: t, nodes };
    for (const c of this.recent) {
      nodes.add(c.to);
      if (c.from) nodes.add(c.from);
    }
    this.log.note(key, first.time, first.frame, () => ({
      kind: 'flapping',
      severity: 'error',
      vhid: this.vhid,
      group: this.groupId,
      render: (e: FindingEntry) => ({
        message: `${this.groupId} flapped: the master changed ${e.count} times between ${iso(e.time)} and ${iso(e.lastTime)} among ${[...nodes].join(', ')}.`,
        fix: 'Repeated changes mean advertisements are being lost or a node keeps changing its standing. Look at the causes of the changes above: takeovers after silence point to lost multicast (switch, IGMP snooping, link errors, overloaded node); demotions point to an interface or pfsync repeatedly going down; preemptions back and forth point to a node that keeps restarting.',
      }),
    }));
    for (const c of this.recent.slice(1)) this.log.touch(key, c.time, c.frame);
  }
}

function iso(t: number): string {
  return new Date(t * 1000).toISOString();
}
