// Findings accumulate while the capture streams: one entry per problem and place (group, source, episode), with a
// count and the first few frames, rendered into words only when the report is built. Bounded in size.
import type { Finding, FindingKind, Severity } from './types.js';

const MAX_FRAMES = 5;
const MAX_ENTRIES = 5000;

export interface FindingEntry {
  kind: FindingKind;
  severity: Severity;
  time: number;
  lastTime: number;
  vhid?: number;
  group?: string;
  frames: number[];
  count: number;
  /** Builds the message and the fix from what was gathered. */
  render: (entry: FindingEntry) => { message: string; fix: string };
}

export class FindingLog {
  private readonly entries = new Map<string, FindingEntry>();
  private serial = 0;

  /** Records one occurrence under `key`; the first occurrence creates the entry from `init`. */
  note(
    key: string,
    time: number,
    frame: number,
    init: () => Omit<FindingEntry, 'time' | 'lastTime' | 'frames' | 'count'>,
  ): FindingEntry | null {
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= MAX_ENTRIES) return null;
      entry = { ...init(), time, lastTime: time, frames: [], count: 0 };
      this.entries.set(key, entry);
    }
    entry.count++;
    entry.lastTime = time;
    if (entry.frames.length < MAX_FRAMES && !entry.frames.includes(frame)) entry.frames.push(frame);
    return entry;
  }

  /** Records one more occurrence of an existing entry (no-op when `key` was never noted). */
  touch(key: string, time: number, frame: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.count++;
    entry.lastTime = time;
    if (entry.frames.length < MAX_FRAMES && !entry.frames.includes(frame)) entry.frames.push(frame);
  }

  /** A key for a new episode of something that can happen several times (split brain, flapping). */
  episodeKey(prefix: string): string {
    return `${prefix}#${++this.serial}`;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  list(): Finding[] {
    const out: Finding[] = [];
    for (const e of this.entries.values()) {
      const { message, fix } = e.render(e);
      const f: Finding = { kind: e.kind, severity: e.severity, time: e.time, message, fix, frames: e.frames, count: e.count };
      if (e.vhid !== undefined) f.vhid = e.vhid;
      if (e.group !== undefined) f.group = e.group;
      out.push(f);
    }
    return out.sort((a, b) => a.time - b.time || (a.frames[0] ?? 0) - (b.frames[0] ?? 0));
  }
}
