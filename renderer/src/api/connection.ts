// The state of the link to the backend, for the status bar (works with React's useSyncExternalStore).
import type { ApiError } from './errors.js';

export type Transport = 'message-port' | 'websocket';

export type ConnectionState =
  | { status: 'connecting'; transport: Transport }
  | { status: 'open'; transport: Transport }
  /** Lost or refused; the next attempt starts after `retryInMs`. */
  | { status: 'reconnecting'; transport: Transport; attempt: number; retryInMs: number }
  | { status: 'failed'; transport: Transport; error: ApiError }
  | { status: 'closed'; transport: Transport };

type Listener = (state: ConnectionState) => void;

export class ConnectionStore {
  #state: ConnectionState;
  readonly #listeners = new Set<Listener>();

  constructor(initial: ConnectionState) {
    this.#state = initial;
  }

  get = (): ConnectionState => this.#state;

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  set(state: ConnectionState): void {
    this.#state = state;
    for (const l of this.#listeners) l(state);
  }
}
