// One node of the cluster: its SSH session kept up (keepalives, reconnect with backoff, states for the panel), its
// carpd status polled about every second (at once after an event), and its `carpctl events --follow` fed into the
// timeline, reopened after a reconnect with --since the last seq taken (no gap, no repeat).
import type { ClusterNode } from '../../../shared/api/cluster-contract.js';
import type { CarpdStatus } from '../../../daemon/control/protocol.js';
import { followEvents, installedFacts } from '../deploy/control.js';
import { DeployError } from '../deploy/errors.js';
import { carpctlArgv, CURRENT } from '../deploy/layout.js';
import { SshError } from '../ssh/errors.js';
import { PrivilegeError, rootSession } from '../ssh/privilege.js';
import { keepConnected, type ConnectionState } from '../ssh/reconnect.js';
import type { SshSession } from '../ssh/session.js';
import type { Timeline } from './timeline.js';
import { parseStatus } from './view.js';

export interface ErrorValue {
  code: string;
  message: string;
  fix?: string;
}

export interface MemberOptions {
  id: string;
  fingerprint: string | null;
  timeline: Timeline;
  /** Something about this node changed (connection, status). */
  onChange: () => void;
  /** Logs in again without asking anyone (the secrets of the first login, kept in memory). */
  reconnect: () => Promise<SshSession>;
  pollMs: number;
  backoff?: (attempt: number) => number;
  now: () => number;
}

export const errorValue = (e: unknown, fallbackCode = 'failed'): ErrorValue => {
  if (e instanceof PrivilegeError) return { code: e.code, message: e.message, fix: e.fix };
  if (e instanceof SshError || e instanceof DeployError) return { code: e.code, message: e.message };
  return { code: fallbackCode, message: e instanceof Error ? e.message : String(e) };
};

const sleep = (ms: number, until: Promise<unknown>) => Promise.race([new Promise((r) => setTimeout(r, ms)), until]);

export class ClusterMember {
  connection: ClusterNode['connection'] = { state: 'connecting' };
  status: CarpdStatus | undefined;
  statusError: ErrorValue | undefined;
  version: string | null = null;
  updated: number;
  private current: SshSession | undefined;
  private readonly abort = new AbortController();
  private wakePoll: (() => void) | undefined;
  private wasReady = false;

  constructor(private readonly o: MemberOptions) {
    this.updated = o.now();
  }

  get id(): string {
    return this.o.id;
  }

  get fingerprint(): string | null {
    return this.o.fingerprint;
  }

  /** The live session; throws a clear error when the node is not connected right now. */
  session(): SshSession {
    if (!this.current || this.connection.state !== 'ready') {
      const why = this.connection.state === 'backoff' ? `the connection dropped; reconnecting in ${Math.round((this.connection.retryInMs ?? 0) / 1000)} s` : `connection ${this.connection.state}`;
      throw new SshError('closed', `${this.id} is not connected (${why})${this.connection.error ? `: ${this.connection.error.message}` : ''}; connect to it first`, this.id);
    }
    return this.current;
  }

  /** Runs the node over `first` (an open session), reconnecting after drops until stop(). */
  start(first: SshSession): void {
    let pending: SshSession | undefined = first;
    void keepConnected({
      signal: this.abort.signal,
      backoff: this.o.backoff,
      connect: () => {
        const s = pending;
        pending = undefined;
        return s ? Promise.resolve(s) : this.o.reconnect();
      },
      onState: (s) => this.onState(s),
      use: (session) => this.use(session),
    }).catch((e: unknown) => {
      const error = errorValue(e);
      this.connection = { state: 'failed', error: { ...error, fix: 'connect to the node again (the saved login no longer works, or its host key changed)' } };
      this.o.timeline.note(this.id, 'connection', `cannot reconnect: ${error.message}`, { old: 'backoff', new: 'failed' });
      this.changed();
    });
  }

  stop(): void {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.current?.close();
    this.current = undefined;
    this.connection = { state: 'closed' };
    this.o.timeline.note(this.id, 'connection', 'disconnected', { old: 'ready', new: 'closed' });
    this.changed();
  }

  /** Polls carpd now instead of at the next tick. */
  pollNow(): void {
    this.wakePoll?.();
  }

  private changed(): void {
    this.updated = this.o.now();
    this.o.onChange();
  }

  private onState(s: ConnectionState): void {
    if (this.abort.signal.aborted) return;
    if (s.state === 'ready') {
      if (this.wasReady) this.o.timeline.note(this.id, 'connection', `reconnected; events resume after #${this.o.timeline.since(this.id)}`, { old: 'backoff', new: 'ready' });
      else this.o.timeline.note(this.id, 'connection', 'connected', { old: null, new: 'ready' });
      this.wasReady = true;
      this.connection = { state: 'ready' };
    } else if (s.state === 'backoff') {
      this.current = undefined;
      this.o.timeline.note(this.id, 'connection', `connection lost (${s.error}); reconnecting in ${(s.delayMs / 1000).toFixed(1)} s`, { old: 'ready', new: 'backoff' });
      this.connection = { state: 'backoff', error: { code: 'closed', message: s.error }, retryInMs: s.delayMs };
    } else {
      this.connection = { state: 'connecting', ...(this.connection.error ? { error: this.connection.error } : {}) };
    }
    this.changed();
  }

  private async use(session: SshSession): Promise<void> {
    this.current = session;
    let open = true;
    const closed = session.closed.then(() => {
      open = false;
      this.wakePoll?.();
    });
    const alive = () => open && !this.abort.signal.aborted;
    await Promise.all([this.pollLoop(session, alive, closed), this.eventLoop(session, alive, closed)]);
  }

  private async pollLoop(login: SshSession, alive: () => boolean, closed: Promise<void>): Promise<void> {
    let socket: string | undefined;
    while (alive()) {
      try {
        const session = await rootSession(login, 'reading carpd status');
        if (!socket) {
          socket = (await installedFacts(session)).controlSocket;
          this.version = (await session.exec(['readlink', CURRENT])).stdout.trim() || null;
        }
        const r = await session.exec([...carpctlArgv(socket), 'status', '--json']);
        if (r.code === 0) {
          const status = parseStatus(JSON.parse(r.stdout));
          if (!status) throw new DeployError('remote-failed', `${this.id}: carpctl status --json answered something that is not a carpd status (a different carpd version?)`, this.id);
          this.status = status;
          this.statusError = undefined;
        } else {
          socket = undefined;
          const why = (r.stderr || r.stdout).replace(/^carpctl: /, '').trim();
          throw r.code === 3
            ? new DeployError('not-running', `${this.id}: carpd is not running (${why})`, this.id)
            : new DeployError('remote-failed', `${this.id}: carpctl status: ${why}`, this.id);
        }
      } catch (e) {
        if (!alive()) return;
        socket = undefined;
        this.status = undefined;
        this.statusError = errorValue(e);
      }
      if (!alive()) return;
      this.changed();
      await sleep(this.o.pollMs, Promise.race([closed, new Promise<void>((r) => (this.wakePoll = r))]));
      this.wakePoll = undefined;
    }
  }

  private async eventLoop(session: SshSession, alive: () => boolean, closed: Promise<void>): Promise<void> {
    while (alive()) {
      try {
        const stream = await followEvents(
          session,
          this.o.timeline.since(this.id),
          (e) => {
            if (this.o.timeline.push(this.id, e)) this.pollNow();
          },
          () => undefined,
        );
        await Promise.race([stream.done, closed]);
        stream.stop();
      } catch {
        // not installed or not running yet: try again shortly (a deploy or restart may be under way)
      }
      if (!alive()) return;
      await sleep(1000, closed);
    }
  }
}
