// Handlers of shared/api/pairing-contract.ts: each pairing is one engine over the SSH sessions of two connected
// cluster nodes, kept under a random id until it has been idle for a while. Streaming procedures turn the
// engine's callbacks into `step` / `check` updates and end with `done` or `failed`; errors reach the UI as
// {code, message, fix}, never as stack traces.
import { randomUUID } from 'node:crypto';
import { ORPCError, type implement } from '@orpc/server';
import type { Contract } from '../../../shared/api/contract.js';
import type { PairStep, PreflightCheck } from '../../../shared/pairing/schema.js';
import type { PairingEngine } from '../pairing/engine.js';
import { createPairingEngine } from '../pairing/index.js';
import type { ProbeSpec } from '../pairing/probe.js';
import { renderReportHtml } from '../pairing/report-html.js';
import type { SshSession } from '../ssh/session.js';

export type PairingImplementer = ReturnType<typeof implement<Contract>>['pairing'];

export type EngineFactory = (sessions: { primary: SshSession; secondary: SshSession }) => PairingEngine;

export interface PairingRouterDeps {
  /** The SSH session of a connected cluster node (by its cluster id); throws a clear error when not connected. */
  sessionOf?: (node: string) => SshSession;
  /** Builds the engine of a new pairing (default: electron/core/pairing's). */
  createEngine?: EngineFactory;
  /** Renders the commissioning report as a standalone HTML page (default: electron/core/pairing's). */
  reportHtml?: (report: ReturnType<PairingEngine['report']>) => string;
  /** How many pairings are kept at once; the longest idle one is dropped to make room. */
  maxPairings?: number;
  /** A pairing nobody touched for this long is forgotten. */
  idleMs?: number;
  now?: () => number;
}

export interface PairingError {
  code: string;
  message: string;
  fix?: string;
}

type Update<R> = { kind: 'step'; step: PairStep } | { kind: 'check'; check: PreflightCheck } | { kind: 'done'; result: R } | { kind: 'failed'; error: PairingError };

const MAX_PAIRINGS = 8;
const IDLE_MS = 60 * 60_000;

/** Any thrown value as {code, message, fix}: coded errors keep theirs, anything else gets a generic code. */
export function pairingError(e: unknown): PairingError {
  if (e instanceof Error) {
    const { code, fix, where } = e as Error & { code?: unknown; fix?: unknown; where?: unknown };
    const message = typeof where === 'string' && where !== '' && !e.message.includes(where) ? `${where}: ${e.message}` : e.message;
    if (typeof code === 'string' && code !== '') return { code, message, ...(typeof fix === 'string' && fix !== '' ? { fix } : {}) };
    return { code: 'internal', message: message || 'the pairing failed without saying why', fix: 'Run the step again; if it fails the same way, report the message above.' };
  }
  return { code: 'internal', message: String(e), fix: 'Run the step again; if it fails the same way, report the message above.' };
}

function refuse(error: PairingError): never {
  throw new ORPCError(error.code, { message: error.message, data: error.fix ? { fix: error.fix } : undefined });
}

interface Pairing {
  engine: PairingEngine;
  used: number;
  /** The streaming procedure running now (one at a time per pairing). */
  busy: string | null;
}

/** The live pairings by id: bounded, idle ones forgotten. */
export class PairingTable {
  readonly #pairings = new Map<string, Pairing>();

  constructor(
    private readonly max: number,
    private readonly idleMs: number,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.#pairings.size;
  }

  add(engine: PairingEngine): string {
    this.#sweep();
    if (this.#pairings.size >= this.max) {
      const idle = [...this.#pairings].filter(([, p]) => p.busy === null).sort(([, a], [, b]) => a.used - b.used)[0];
      if (!idle) {
        refuse({
          code: 'too-many-pairings',
          message: `${this.max} pairings are running a step right now; no room for another`,
          fix: 'Wait for one of them to finish, then start again.',
        });
      }
      this.#pairings.delete(idle[0]);
    }
    const id = randomUUID();
    this.#pairings.set(id, { engine, used: this.now(), busy: null });
    return id;
  }

  get(id: string): Pairing {
    this.#sweep();
    const p = this.#pairings.get(id);
    if (!p) {
      refuse({
        code: 'unknown-pairing',
        message: `no pairing ${id}: it was never started, or it was forgotten after ${Math.round(this.idleMs / 60_000)} minutes without use or when the backend restarted`,
        fix: 'Start the pairing again from step 1 (Connect).',
      });
    }
    p.used = this.now();
    return p;
  }

  #sweep(): void {
    const now = this.now();
    for (const [id, p] of this.#pairings) if (p.busy === null && now - p.used > this.idleMs) this.#pairings.delete(id);
  }
}

/**
 * Runs one engine call that reports through a callback, as a stream: every callback value as it comes, then
 * `done` with the result or `failed` with the error. Only one such call runs per pairing at a time.
 */
async function* stream<R, P = R>(
  pairing: Pairing,
  what: string,
  run: (emit: (u: Update<R>) => void) => Promise<P>,
  result: (value: P) => R,
  now: () => number,
): AsyncGenerator<Update<R>> {
  if (pairing.busy !== null) {
    yield { kind: 'failed', error: { code: 'busy', message: `this pairing is still running its ${pairing.busy}`, fix: `Wait until the ${pairing.busy} has finished, then ${what} again.` } };
    return;
  }
  pairing.busy = what;
  const queue: Update<R>[] = [];
  let wake: (() => void) | null = null;
  const push = (u: Update<R>) => {
    queue.push(u);
    wake?.();
    wake = null;
  };
  // started from a promise so that an engine throwing before its first await still ends the step
  Promise.resolve()
    .then(() => run(push))
    .then(
      (value) => push({ kind: 'done', result: result(value) }),
      (e: unknown) => push({ kind: 'failed', error: pairingError(e) }),
    )
    .finally(() => {
      pairing.busy = null;
      pairing.used = now();
    });
  // if the client goes away, the engine still finishes its step (and any rollback) on its own
  for (;;) {
    const u = queue.shift();
    if (!u) {
      await new Promise<void>((r) => (wake = r));
      continue;
    }
    yield u;
    if (u.kind === 'done' || u.kind === 'failed') return;
  }
}

function probeSpec({ target, flowPort, namespace }: { target: string; flowPort?: number; namespace?: string }): ProbeSpec {
  const flow = flowPort === undefined ? undefined : { port: flowPort };
  return namespace ? { kind: 'netns', namespace, target, flow } : { kind: 'local', target, flow };
}

export function pairingRouter(api: PairingImplementer, deps: PairingRouterDeps) {
  const now = deps.now ?? Date.now;
  const table = new PairingTable(deps.maxPairings ?? MAX_PAIRINGS, deps.idleMs ?? IDLE_MS, now);
  const { createEngine = (sessions) => createPairingEngine(sessions), reportHtml = renderReportHtml } = deps;

  const session = (node: string, role: string): SshSession => {
    if (!deps.sessionOf) {
      refuse({ code: 'not-available', message: 'this backend cannot reach cluster nodes', fix: 'Use the CarpDeck app or `carpdeck serve`, which connect to nodes over SSH.' });
    }
    try {
      return deps.sessionOf(node);
    } catch (e) {
      const error = pairingError(e);
      refuse({ ...error, message: `${role} ${node}: ${error.message}`, fix: error.fix ?? `Connect ${node} in step 1 (Connect), then start again.` });
    }
  };

  return {
    start: api.start.handler(({ input }) => {
      if (input.primary === input.secondary) {
        refuse({ code: 'same-node', message: `the primary and the secondary are both ${input.primary}`, fix: 'Pick two different firewalls: one primary and one secondary.' });
      }
      const sessions = { primary: session(input.primary, 'primary'), secondary: session(input.secondary, 'secondary') };
      let engine: PairingEngine;
      try {
        engine = createEngine(sessions);
      } catch (e) {
        refuse(pairingError(e));
      }
      return { pairing: table.add(engine) };
    }),
    preflight: api.preflight.handler(({ input }) => {
      const p = table.get(input.pairing);
      const { listenSeconds, vipSubnets, overrides } = input;
      return stream(p, 'preflight', (emit) => p.engine.preflight({ listenSeconds, vipSubnets, overrides }, (check) => emit({ kind: 'check', check })), (r) => r, now);
    }),
    remedy: api.remedy.handler(({ input }) => {
      const p = table.get(input.pairing);
      return stream(p, 'remedy', (emit) => p.engine.remedy(input.node, input.remedy, (step) => emit({ kind: 'step', step })), (message) => ({ message }), now);
    }),
    plan: api.plan.handler(async ({ input }) => {
      const p = table.get(input.pairing);
      if (p.busy !== null) refuse({ code: 'busy', message: `this pairing is still running its ${p.busy}`, fix: `Wait until the ${p.busy} has finished.` });
      try {
        return await p.engine.plan(input.plan);
      } catch (e) {
        refuse(pairingError(e));
      }
    }),
    apply: api.apply.handler(({ input }) => {
      const p = table.get(input.pairing);
      return stream(p, 'apply', (emit) => p.engine.apply(input.plan, (step) => emit({ kind: 'step', step })), () => ({ applied: true }), now);
    }),
    verify: api.verify.handler(({ input }) => {
      const p = table.get(input.pairing);
      return stream(p, 'verify', (emit) => p.engine.verify((step) => emit({ kind: 'step', step })), (r) => r, now);
    }),
    drill: api.drill.handler(({ input }) => {
      const p = table.get(input.pairing);
      const probe = input.probe && probeSpec(input.probe);
      return stream(p, 'drill', (emit) => p.engine.drill({ linkLoss: input.linkLoss ?? false, ...(probe ? { probe } : {}) }, (step) => emit({ kind: 'step', step })), (r) => r, now);
    }),
    report: api.report.handler(({ input }) => {
      const p = table.get(input.pairing);
      try {
        const report = p.engine.report();
        return { report, html: reportHtml(report) };
      } catch (e) {
        refuse(pairingError(e));
      }
    }),
  };
}
