import type { Child, ChildExit } from './deps.js';

export interface SupervisorOptions {
  /** Delays before restart 1, 2, 3, ...; the last one repeats. */
  backoffMs: readonly number[];
  /** A run at least this long resets the backoff. */
  stableMs: number;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  stopGraceMs: number;
  now(): number;
}

export interface SupervisorHooks {
  /** Starts one run (e.g. clears a stale lock file first). */
  launch(): Child;
  started(child: Child, restarts: number): void;
  /** An unexpected exit; a restart follows after `restartInMs`. */
  died(exit: ChildExit, output: string, restartInMs: number, restarts: number): void;
}

export const DEFAULT_BACKOFF_MS = [250, 1000, 2000, 5000, 10_000] as const;

/** Keeps one child process running: restarts it with backoff when it dies, stops it on request. */
export class Supervisor {
  private child?: Child;
  private startedAt = 0;
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  private stopping = false;
  restarts = 0;

  constructor(
    private readonly opts: SupervisorOptions,
    private readonly hooks: SupervisorHooks,
  ) {}

  get running(): Child | undefined {
    return this.child;
  }

  start(): void {
    this.stopping = false;
    this.launch();
  }

  private launch(): void {
    this.timer = undefined;
    if (this.stopping) return;
    const child = this.hooks.launch();
    this.child = child;
    this.startedAt = this.opts.now();
    this.hooks.started(child, this.restarts);
    void child.exited.then((exit) => this.onExit(child, exit));
  }

  private onExit(child: Child, exit: ChildExit): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.stopping) return;
    if (this.opts.now() - this.startedAt >= this.opts.stableMs) this.attempt = 0;
    const delay = this.opts.backoffMs[Math.min(this.attempt, this.opts.backoffMs.length - 1)];
    this.attempt++;
    this.restarts++;
    this.hooks.died(exit, child.tail(), delay, this.restarts);
    this.timer = setTimeout(() => this.launch(), delay);
  }

  /** Stops the child (SIGTERM, then SIGKILL after the grace period) and cancels any pending restart. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    let grace: NodeJS.Timeout | undefined;
    const killed = await Promise.race([
      child.exited.then(() => false),
      new Promise<boolean>((r) => {
        grace = setTimeout(() => r(true), this.opts.stopGraceMs);
      }),
    ]);
    clearTimeout(grace);
    if (killed) {
      child.kill('SIGKILL');
      await child.exited;
    }
    this.child = undefined;
  }
}
