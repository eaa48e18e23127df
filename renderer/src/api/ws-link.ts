// WebSocket transport for `carpdeck serve`: an oRPC link that keeps one socket open, reconnects with
// exponential backoff when it drops, and holds calls made while disconnected until the next socket opens.
import type { ClientContext, ClientLink, ClientOptions } from '@orpc/client';
import { RPCLink } from '@orpc/client/websocket';
import { ApiError } from './errors.js';
import type { ConnectionStore } from './connection.js';

type Socket = Pick<WebSocket, 'addEventListener' | 'removeEventListener' | 'send' | 'readyState' | 'close'>;
export type SocketFactory = (url: string, protocols: string[]) => Socket;

export interface WebSocketLinkOptions {
  url: string;
  protocols: string[];
  connection: ConnectionStore;
  createSocket?: SocketFactory;
  /** First retry delay; doubles on each failed attempt up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Asks whether the server answers plain HTTP. Browsers hide why a WebSocket upgrade failed, so when a socket
   * fails before opening and the server still answers, the upgrade was refused (a stale token) and retrying
   * cannot help.
   */
  serverAnswers?: () => Promise<boolean>;
}

interface Current {
  socket: Socket;
  link: RPCLink<ClientContext>;
  closed: boolean;
  opened: boolean;
}

export function backoffDelay(attempt: number, minDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, minDelayMs * 2 ** Math.max(0, attempt - 1));
}

function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> & AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value && typeof (value as { next?: unknown }).next === 'function';
}

/** A stream whose failures because the socket dropped surface as DISCONNECTED, like those of plain calls. */
function mapIteratorErrors(source: AsyncIterator<unknown>, mapError: (error: unknown) => unknown): AsyncIterableIterator<unknown> {
  const rethrow = (error: unknown): never => {
    throw mapError(error);
  };
  return {
    next: () => source.next().catch(rethrow),
    return: (value?: unknown) => (source.return ? source.return(value).catch(rethrow) : Promise.resolve({ done: true, value })),
    throw: (error?: unknown) => (source.throw ? source.throw(error).catch(rethrow) : Promise.reject(error)),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export class ReconnectingWebSocketLink<T extends ClientContext> implements ClientLink<T> {
  readonly #options: Required<WebSocketLinkOptions>;
  #current: Current | undefined;
  #open: Current | undefined;
  #waiting = new Set<{ resolve: (c: Current) => void; reject: (e: unknown) => void }>();
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set once the link has given up for good; later calls fail with it. */
  #stopped: ApiError | undefined;

  constructor(options: WebSocketLinkOptions) {
    this.#options = {
      createSocket: (url, protocols) => new WebSocket(url, protocols),
      minDelayMs: 250,
      maxDelayMs: 10_000,
      serverAnswers: () => Promise.resolve(false),
      ...options,
    };
    this.#connect();
  }

  async call(path: readonly string[], input: unknown, options: ClientOptions<T>): Promise<unknown> {
    const current = await this.#whenOpen(options.signal);
    const mapError = (error: unknown) => (current.closed && !options.signal?.aborted ? this.#disconnected(error) : error);
    let output: unknown;
    try {
      output = await current.link.call(path, input, options);
    } catch (error) {
      throw mapError(error);
    }
    return isAsyncIterator(output) ? mapIteratorErrors(output, mapError) : output;
  }

  /** Closes the socket for good; pending and later calls fail with CLOSED. */
  close(): void {
    if (this.#stopped) return;
    this.#stop(new ApiError('CLOSED', 'The connection to CarpDeck was closed.', this.#options.url));
    this.#current?.socket.close();
    this.#options.connection.set({ status: 'closed', transport: 'websocket' });
  }

  #stop(error: ApiError): void {
    this.#stopped = error;
    clearTimeout(this.#retryTimer);
    for (const w of this.#waiting) w.reject(error);
    this.#waiting.clear();
  }

  #connect(): void {
    const socket = this.#options.createSocket(this.#options.url, this.#options.protocols);
    const current: Current = { socket, link: new RPCLink({ websocket: socket }), closed: false, opened: false };
    this.#current = current;
    socket.addEventListener('open', () => {
      if (current.closed) return;
      current.opened = true;
      this.#attempt = 0;
      this.#open = current;
      this.#options.connection.set({ status: 'open', transport: 'websocket' });
      for (const w of this.#waiting) w.resolve(current);
      this.#waiting.clear();
    });
    socket.addEventListener('close', () => this.#gone(current));
  }

  /** Gives up on the current socket (it went silent) and reconnects without waiting for it to finish closing. */
  dropConnection(): void {
    const current = this.#current;
    if (!current || current.closed || this.#stopped) return;
    this.#gone(current);
    current.socket.close();
  }

  #gone(current: Current): void {
    if (current.closed) return;
    current.closed = true;
    if (this.#open === current) this.#open = undefined;
    if (this.#stopped) return;
    if (!current.opened) {
      void this.#options.serverAnswers().then((answers) => (answers ? this.#refused() : this.#retry()));
    } else {
      this.#retry();
    }
  }

  #retry(): void {
    if (this.#stopped) return;
    this.#attempt++;
    const retryInMs = backoffDelay(this.#attempt, this.#options.minDelayMs, this.#options.maxDelayMs);
    this.#options.connection.set({ status: 'reconnecting', transport: 'websocket', attempt: this.#attempt, retryInMs });
    this.#retryTimer = setTimeout(() => this.#connect(), retryInMs);
  }

  #refused(): void {
    if (this.#stopped) return;
    const error = new ApiError(
      'REJECTED',
      'CarpDeck refused this page: its access token is from an earlier run of `carpdeck serve` (each start makes a new one). Open the address it printed this time.',
      this.#options.url,
    );
    this.#stop(error);
    this.#options.connection.set({ status: 'failed', transport: 'websocket', error });
  }

  #whenOpen(signal: AbortSignal | undefined): Promise<Current> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    if (this.#open) return Promise.resolve(this.#open);
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const entry = {
        resolve: (c: Current) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(c);
        },
        reject,
      };
      const onAbort = () => {
        this.#waiting.delete(entry);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.add(entry);
    });
  }

  #disconnected(cause: unknown): ApiError {
    return new ApiError(
      'DISCONNECTED',
      'The connection to CarpDeck dropped during this call; it is reconnecting, try again.',
      this.#options.url,
      { cause },
    );
  }
}
