// Reconnect with exponential backoff and jitter (1 s doubling to 30 s). Failures a retry cannot fix (wrong
// credentials, host key problems, bad key file) end the loop instead.
import { SshError } from './errors.js';
import type { SshSession } from './session.js';

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export const isPermanent = (e: unknown): boolean =>
  e instanceof SshError && ['auth-failed', 'host-key-unknown', 'host-key-changed', 'bad-key-file', 'no-credentials', 'bad-target'].includes(e.code);

export type ConnectionState = { state: 'connecting'; attempt: number } | { state: 'ready' } | { state: 'backoff'; delayMs: number; error: string };

export interface KeepConnectedOptions {
  connect: () => Promise<SshSession>;
  /** Uses the session; resolves when the work ended or the connection dropped. */
  use: (session: SshSession) => Promise<void>;
  onState: (s: ConnectionState) => void;
  signal: AbortSignal;
  /** Delay before reconnect attempt n (default backoffDelay). */
  backoff?: (attempt: number) => number;
}

/** Runs `use` over a connection, reconnecting after drops until aborted; rejects on a permanent failure. */
export async function keepConnected(opts: KeepConnectedOptions): Promise<void> {
  let attempt = 0;
  while (!opts.signal.aborted) {
    opts.onState({ state: 'connecting', attempt });
    let error: unknown;
    try {
      const session = await opts.connect();
      attempt = 0;
      opts.onState({ state: 'ready' });
      const onAbort = () => session.close();
      opts.signal.addEventListener('abort', onAbort, { once: true });
      try {
        await opts.use(session);
      } finally {
        opts.signal.removeEventListener('abort', onAbort);
        session.close();
      }
      error = new SshError('closed', 'connection closed', session.label);
    } catch (e) {
      if (isPermanent(e)) throw e;
      error = e;
    }
    if (opts.signal.aborted) return;
    const delayMs = (opts.backoff ?? backoffDelay)(attempt++);
    opts.onState({ state: 'backoff', delayMs, error: error instanceof Error ? error.message : String(error) });
    await new Promise<void>((res) => {
      const t = setTimeout(res, delayMs);
      opts.signal.addEventListener('abort', () => (clearTimeout(t), res()), { once: true });
    });
  }
}
