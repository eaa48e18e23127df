// Merging the event streams of several nodes: each stream is in seq order; across nodes events are held briefly
// and released in time order. Per node the last seq seen is kept, so a stream reopened after a reconnect resumes
// with --since that seq: no gap, and anything repeated is dropped.

export interface NodeEvent {
  source: string;
  seq: number;
  time: string;
  [key: string]: unknown;
}

export class EventMerger {
  private readonly lastSeq = new Map<string, number>();
  private held: { event: NodeEvent; at: number }[] = [];

  constructor(
    private readonly emit: (e: NodeEvent) => void,
    private readonly holdMs = 150,
    private readonly now: () => number = Date.now,
  ) {}

  /** The last seq taken from `source` (0 before any): resume its stream after this. */
  since(source: string): number {
    return this.lastSeq.get(source) ?? 0;
  }

  seed(source: string, seq: number): void {
    this.lastSeq.set(source, Math.max(seq, this.since(source)));
  }

  /** Takes an event from `source`; false when it was already seen (seq not above the last). */
  push(source: string, raw: Record<string, unknown>): boolean {
    const seq = typeof raw.seq === 'number' ? raw.seq : NaN;
    if (!Number.isInteger(seq) || seq <= this.since(source)) return false;
    this.lastSeq.set(source, seq);
    this.held.push({ event: { ...raw, source, seq, time: typeof raw.time === 'string' ? raw.time : new Date(this.now()).toISOString() }, at: this.now() });
    return true;
  }

  /** Releases, in time order, the events held at least holdMs (all of them with `all`). */
  flush(all = false): void {
    const cutoff = this.now() - this.holdMs;
    const ready = this.held.filter((h) => all || h.at <= cutoff);
    if (ready.length === 0) return;
    this.held = this.held.filter((h) => !ready.includes(h));
    ready
      .map((h) => h.event)
      .sort((a, b) => (a.time === b.time ? (a.source === b.source ? a.seq - b.seq : a.source < b.source ? -1 : 1) : a.time < b.time ? -1 : 1))
      .forEach((e) => this.emit(e));
  }
}
