// Keeps a backend stream subscribed: when it ends or breaks (the connection to the backend dropped, the backend
// restarted), it subscribes again after a pause that doubles up to a limit. The WebSocket link holds calls made
// while it reconnects, so a new subscription starts as soon as the backend answers again.
import { toPanelError, type PanelError } from './source.js';

export interface FollowHandlers<T> {
  open(signal: AbortSignal): Promise<AsyncIterable<T>>;
  onItem(item: T): void;
  /** Called when the stream is live again (`resumed`: not the first time) or broke (with why). */
  onStatus(status: { live: true; resumed: boolean } | { live: false; error: PanelError | null; retryInMs: number }): void;
}

export interface FollowOptions {
  minRetryMs?: number;
  maxRetryMs?: number;
}

export async function follow<T>(signal: AbortSignal, h: FollowHandlers<T>, { minRetryMs = 500, maxRetryMs = 10_000 }: FollowOptions = {}): Promise<void> {
  let failures = 0;
  let opened = false;
  while (!signal.aborted) {
    let error: PanelError | null = null;
    try {
      const stream = await h.open(signal);
      h.onStatus({ live: true, resumed: opened });
      opened = true;
      failures = 0;
      for await (const item of stream) {
        if (signal.aborted) return;
        h.onItem(item);
      }
    } catch (err) {
      if (signal.aborted) return;
      error = toPanelError(err);
    }
    if (signal.aborted) return;
    failures++;
    const retryInMs = Math.min(maxRetryMs, minRetryMs * 2 ** (failures - 1));
    h.onStatus({ live: false, error, retryInMs });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, retryInMs);
      signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
}
