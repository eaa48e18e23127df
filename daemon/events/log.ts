import { appendFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { CarpdEvent, NewEvent } from './types.js';

/**
 * Bounded event log in the state directory: events.jsonl, rotated to events.jsonl.1 when it reaches `maxLines`
 * (so at most 2 x maxLines lines on disk). Sequence numbers continue across restarts.
 */
export class EventLog {
  private seq = 0;
  private lines = 0;
  private recent: CarpdEvent[] = [];
  private readonly listeners = new Set<(e: CarpdEvent) => void>();
  private readonly file: string;

  private writeFailing = false;

  constructor(
    dir: string,
    private readonly node: string,
    private readonly maxLines: number,
    /** Told once when writing starts failing (disk full, directory gone) and once when it works again. */
    private readonly onWriteProblem: (message: string) => void = () => {},
  ) {
    this.file = join(dir, 'events.jsonl');
    for (const f of [`${this.file}.1`, this.file]) {
      if (!existsSync(f)) continue;
      const lines = readFileSync(f, 'utf8').split('\n').filter(Boolean);
      if (f === this.file) this.lines = lines.length;
      for (const line of lines) {
        try {
          const e = JSON.parse(line) as CarpdEvent;
          if (typeof e.seq === 'number') {
            this.recent.push(e);
            this.seq = Math.max(this.seq, e.seq);
          }
        } catch {
          // A torn last line after a crash: skip it.
        }
      }
    }
    this.recent = this.recent.slice(-maxLines);
  }

  append(e: NewEvent, now = new Date()): CarpdEvent {
    const event = { seq: ++this.seq, time: now.toISOString(), node: this.node, ...e } as CarpdEvent;
    try {
      if (this.lines >= this.maxLines) {
        renameSync(this.file, `${this.file}.1`);
        this.lines = 0;
      }
      appendFileSync(this.file, `${JSON.stringify(event)}\n`);
      this.lines++;
      if (this.writeFailing) this.onWriteProblem(`event log ${this.file} is writable again`);
      this.writeFailing = false;
    } catch (e) {
      // Recording must never stop the protocol: keep the event in memory and say so once.
      if (!this.writeFailing) this.onWriteProblem(`cannot write event log ${this.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; events are kept in memory only`);
      this.writeFailing = true;
    }
    this.recent.push(event);
    if (this.recent.length > this.maxLines) this.recent.shift();
    for (const l of this.listeners) l(event);
    return event;
  }

  since(seq: number, limit = this.maxLines): CarpdEvent[] {
    return this.recent.filter((e) => e.seq > seq).slice(-limit);
  }

  get lastSeq(): number {
    return this.seq;
  }

  subscribe(listener: (e: CarpdEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
