// Follows the backend's event stream (`system.events`) across reconnects: resubscribes with `since` so no
// notice is missed, and keeps the latest notice for the status bar.
import type { SystemEvent } from '../../../shared/api/contract.js';
import type { ApiClient } from './client.js';
import type { ConnectionState, ConnectionStore } from './connection.js';

export interface FollowOptions {
  /** Pause before resubscribing after a stream ended, so a closing socket is noticed first. */
  pauseMs?: number;
  signal?: AbortSignal;
  /**
   * Called when nothing (not even a heartbeat) arrived for three heartbeat intervals: the connection is dead
   * without having closed. The stream is then abandoned and subscribed again once the connection is open.
   */
  onSilence?: () => void;
}

function settled(state: ConnectionState): 'open' | 'gone' | undefined {
  if (state.status === 'open') return 'open';
  if (state.status === 'failed' || state.status === 'closed') return 'gone';
  return undefined;
}

/** Resolves true once the connection is open again, false if it failed for good or `signal` aborted. */
function whenOpen(connection: ConnectionStore, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const now = settled(connection.get());
    if (now || signal?.aborted) return resolve(now === 'open' && !signal?.aborted);
    const finish = (ok: boolean) => {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => finish(false);
    const unsubscribe = connection.subscribe((state) => {
      const s = settled(state);
      if (s) finish(s === 'open');
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Delivers every backend event to `onEvent` until `signal` aborts or the connection is gone for good. */
export async function followEvents(api: ApiClient, connection: ConnectionStore, onEvent: (event: SystemEvent) => void, options: FollowOptions = {}): Promise<void> {
  const { pauseMs = 200, signal, onSilence } = options;
  let resume: { since: number; run: string } | undefined;
  while (!signal?.aborted && (await whenOpen(connection, signal))) {
    const attempt = new AbortController();
    const stop = () => attempt.abort();
    signal?.addEventListener('abort', stop, { once: true });
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    try {
      const stream = await api.system.events(resume, { signal: attempt.signal });
      let run = resume?.run;
      let silenceMs: number | undefined;
      for await (const event of stream) {
        if (event.kind === 'hello') {
          run = event.run;
          silenceMs = event.heartbeatMs * 3;
        }
        if (run !== undefined) resume = { since: event.seq, run };
        if (silenceMs !== undefined) {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => {
            onSilence?.();
            attempt.abort();
          }, silenceMs);
        }
        onEvent(event);
      }
    } catch {
      // The stream broke with its connection; the loop waits for the connection to come back.
    } finally {
      clearTimeout(watchdog);
      signal?.removeEventListener('abort', stop);
    }
    if (signal?.aborted) return;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

export type Notice = Extract<SystemEvent, { kind: 'notice' }>;

/** The latest notice from the backend (null until one arrives), as a store for useSyncExternalStore. */
export class NoticeStore {
  #latest: Notice | null = null;
  readonly #listeners = new Set<() => void>();

  get = (): Notice | null => this.#latest;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  accept = (event: SystemEvent): void => {
    if (event.kind !== 'notice') return;
    this.#latest = event;
    for (const l of this.#listeners) l();
  };
}
