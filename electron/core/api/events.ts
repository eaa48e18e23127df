// The backend's event stream: one sequence counter for the whole process, a small buffer of recent notices
// for clients that reconnect with `since`, a `hello` opening every subscription and a periodic `heartbeat`.
import { randomUUID } from 'node:crypto';
import type { SystemEvent, SystemInfo } from '../../../shared/api/contract.js';

export type NoticeLevel = 'info' | 'warning';

export interface EventHubOptions {
  /** Interval of heartbeat events on each subscription. */
  heartbeatMs?: number;
  /** How many recent notices are kept for replay after a reconnect. */
  keepNotices?: number;
  now?: () => number;
}

type Notice = Extract<SystemEvent, { kind: 'notice' }>;

export class EventHub {
  readonly heartbeatMs: number;
  /** This run of the backend: sequence numbers are only comparable within one run. */
  readonly run = randomUUID();
  readonly #keep: number;
  readonly #now: () => number;
  #seq = 0;
  #closed = false;
  readonly #recent: Notice[] = [];
  readonly #subscriptions = new Set<Subscription>();

  constructor(options: EventHubOptions = {}) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.#keep = options.keepNotices ?? 50;
    this.#now = options.now ?? Date.now;
  }

  get subscriberCount(): number {
    return this.#subscriptions.size;
  }

  /** Publishes a notice to every subscriber and keeps it for replay. */
  notify(level: NoticeLevel, message: string): Notice {
    const event: Notice = { seq: this.#next(), time: this.#now(), kind: 'notice', level, message };
    this.#recent.push(event);
    if (this.#recent.length > this.#keep) this.#recent.shift();
    for (const s of this.#subscriptions) s.push(event);
    return event;
  }

  /**
   * A stream that starts with `hello`, then replays buffered notices newer than `since` (all of them when `run`
   * names an earlier run), then delivers new notices and heartbeats until the consumer returns, `signal` aborts
   * or the hub closes. After close, streams end at once.
   */
  subscribe(info: SystemInfo, resume: { since?: number; run?: string } = {}, signal?: AbortSignal): AsyncIterableIterator<SystemEvent> {
    const subscription = new Subscription(this.heartbeatMs, () => ({ seq: this.#next(), time: this.#now(), kind: 'heartbeat' }), (s) =>
      this.#subscriptions.delete(s),
    );
    if (this.#closed) {
      subscription.end();
      return subscription;
    }
    subscription.push({ seq: this.#next(), time: this.#now(), kind: 'hello', info, heartbeatMs: this.heartbeatMs, run: this.run });
    const { since, run } = resume;
    if (since !== undefined) {
      const from = run === undefined || run === this.run ? since : 0;
      for (const n of this.#recent) if (n.seq > from) subscription.push(n);
    }
    this.#subscriptions.add(subscription);
    if (signal) {
      if (signal.aborted) void subscription.return();
      else signal.addEventListener('abort', () => void subscription.return(), { once: true });
    }
    return subscription;
  }

  /** Ends every open subscription once its consumer has read what is already queued. */
  close(): void {
    this.#closed = true;
    for (const s of [...this.#subscriptions]) s.end();
  }

  #next(): number {
    return ++this.#seq;
  }
}

class Subscription implements AsyncIterableIterator<SystemEvent> {
  readonly #queue: SystemEvent[] = [];
  #waiting: ((r: IteratorResult<SystemEvent>) => void) | undefined;
  #done = false;
  #ending = false;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(
    heartbeatMs: number,
    heartbeat: () => SystemEvent,
    private readonly onEnd: (s: Subscription) => void,
  ) {
    this.#timer = setInterval(() => this.push(heartbeat()), heartbeatMs);
    this.#timer.unref?.();
  }

  push(event: SystemEvent): void {
    if (this.#done || this.#ending) return;
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting({ done: false, value: event });
    } else {
      this.#queue.push(event);
    }
  }

  next(): Promise<IteratorResult<SystemEvent>> {
    const event = this.#queue.shift();
    if (event) return Promise.resolve({ done: false, value: event });
    if (this.#ending) return this.return();
    if (this.#done) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /** Finishes after the queued events; a consumer already waiting sees the end at once. */
  end(): void {
    this.#ending = true;
    clearInterval(this.#timer);
    if (this.#waiting) void this.return();
  }

  return(): Promise<IteratorResult<SystemEvent>> {
    if (!this.#done) {
      this.#done = true;
      clearInterval(this.#timer);
      this.#queue.length = 0;
      this.onEnd(this);
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.({ done: true, value: undefined });
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
