// A push-to-pull queue: producers push values, one consumer iterates them (the shape oRPC streams take). Ends when
// the producer ends it, the consumer returns, or the abort signal fires.
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private readonly onClose: (() => void)[] = [];

  constructor(signal?: AbortSignal) {
    if (signal?.aborted) this.ended = true;
    else signal?.addEventListener('abort', () => void this.return(), { once: true });
  }

  get closed(): boolean {
    return this.ended;
  }

  push(value: T): void {
    if (this.ended) return;
    this.queue.push(value);
    this.wake?.();
  }

  /** Replaces the newest queued value when `same` says it is of the same kind (a slow reader gets the latest). */
  pushLatest(value: T, same: (queued: T) => boolean): void {
    const last = this.queue.length - 1;
    if (last >= 0 && same(this.queue[last])) this.queue[last] = value;
    else this.push(value);
  }

  /** Ends the stream after the queued values are read. */
  end(): void {
    this.ended = true;
    this.wake?.();
    this.runClose();
  }

  whenClosed(fn: () => void): void {
    this.onClose.push(fn);
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.queue.length > 0) return { value: this.queue.shift() as T, done: false };
      if (this.ended) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  async return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.end();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private runClose(): void {
    for (const fn of this.onClose.splice(0)) fn();
  }
}
