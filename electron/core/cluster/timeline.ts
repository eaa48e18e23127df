// The merged event timeline of every node: carpd's events (each node's stream in its own seq order, held briefly
// and released in time order by EventMerger, which also drops anything a reopened stream repeats) plus the app's own
// connection and action notes, numbered with one seq of our own. Recent events are kept so a client that reconnects
// with `since` gets exactly what it missed.
import type { TimelineEvent } from '../../../shared/api/cluster-contract.js';
import { EventMerger, type NodeEvent } from '../deploy/events.js';
import { Channel } from './channel.js';

export interface TimelineOptions {
  /** How long node events are held to be put in time order across nodes (ms). */
  holdMs?: number;
  keep?: number;
  now?: () => number;
}

const KINDS = new Set(['state', 'demotion', 'state-sync', 'config-sync']);
const text = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

export class Timeline {
  private seq = 0;
  private readonly recent: TimelineEvent[] = [];
  private readonly subscribers = new Set<Channel<TimelineEvent>>();
  private readonly merger: EventMerger;
  private readonly keep: number;
  private readonly now: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly holdMs: number;

  constructor(opts: TimelineOptions = {}) {
    this.keep = opts.keep ?? 5000;
    this.now = opts.now ?? Date.now;
    this.holdMs = opts.holdMs ?? 40;
    this.merger = new EventMerger((e) => this.append(this.fromNode(e)), this.holdMs, this.now);
  }

  /** The last carpd seq taken from `node`: reopen its stream with --since this. */
  since(node: string): number {
    return this.merger.since(node);
  }

  /** A carpd event line from `node`; false when it was seen already. */
  push(node: string, raw: Record<string, unknown>): boolean {
    const taken = this.merger.push(node, raw);
    if (taken) this.schedule();
    return taken;
  }

  /** Something the app itself saw (connection changes, actions). */
  note(node: string, kind: 'connection' | 'action', cause: string, change: { old?: string | null; new?: string | null } = {}): TimelineEvent {
    this.flush();
    return this.append({ seq: 0, node, nodeSeq: 0, time: this.now(), kind, vhid: null, old: change.old ?? null, new: change.new ?? null, cause, failover: false });
  }

  /** Releases held node events now (tests, shutdown). */
  flush(): void {
    this.merger.flush(true);
  }

  get last(): number {
    return this.seq;
  }

  /**
   * Events after `since` still kept, then live ones, until the consumer returns or `signal` aborts. A `since` beyond
   * the last seq comes from an earlier run of the backend (numbering restarted): everything kept is replayed.
   */
  subscribe(since: number | undefined, signal?: AbortSignal): AsyncIterableIterator<TimelineEvent> {
    const ch = new Channel<TimelineEvent>(signal);
    const from = since !== undefined && since > this.seq ? 0 : since;
    if (from !== undefined) for (const e of this.recent) if (e.seq > from) ch.push(e);
    this.subscribers.add(ch);
    ch.whenClosed(() => this.subscribers.delete(ch));
    return ch;
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.flush();
    for (const ch of [...this.subscribers]) ch.end();
  }

  /** Each taken event is released once it has been held long enough. */
  private schedule(): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.merger.flush();
    }, this.holdMs + 1);
    this.timers.add(t);
  }

  private fromNode(e: NodeEvent): TimelineEvent {
    const kind = KINDS.has(String(e.kind)) ? (e.kind as TimelineEvent['kind']) : 'state';
    const time = Date.parse(e.time);
    const newValue = text(e.new ?? e.event);
    return {
      seq: 0,
      node: e.source,
      nodeSeq: e.seq,
      time: Number.isFinite(time) ? time : this.now(),
      kind,
      vhid: typeof e.vhid === 'number' ? e.vhid : null,
      old: text(e.old),
      new: newValue,
      cause: typeof e.cause === 'string' ? e.cause : '',
      failover: kind === 'state' && newValue === 'MASTER' && text(e.old) !== 'MASTER',
    };
  }

  private append(e: TimelineEvent): TimelineEvent {
    const event = { ...e, seq: ++this.seq };
    this.recent.push(event);
    if (this.recent.length > this.keep) this.recent.shift();
    for (const ch of this.subscribers) ch.push(event);
    return event;
  }
}
