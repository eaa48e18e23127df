// Runs one of the pairing's streaming procedures for the UI: steps and checks as they come (a step that reports
// again under the same seq replaces its earlier line; an outcome ends the action running before it), then the
// result or the error.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PairStep, PreflightCheck } from '../../../shared/pairing/schema.js';

export interface PairingError {
  code: string;
  message: string;
  fix?: string;
}

export type ProgressUpdate<R> =
  | { kind: 'step'; step: PairStep }
  | { kind: 'check'; check: PreflightCheck }
  | { kind: 'done'; result: R }
  | { kind: 'failed'; error: PairingError };

export interface ProgressState<R> {
  status: 'idle' | 'running' | 'done' | 'failed';
  steps: PairStep[];
  checks: PreflightCheck[];
  result: R | null;
  error: PairingError | null;
}

const idle = <R,>(): ProgressState<R> => ({ status: 'idle', steps: [], checks: [], result: null, error: null });

/** A thrown call (oRPC error with `data.fix`, a lost connection, anything) as {code, message, fix}. */
export function errorOf(e: unknown): PairingError {
  if (e instanceof Error) {
    const { code, data } = e as Error & { code?: unknown; data?: { fix?: unknown } };
    const fix = typeof data?.fix === 'string' ? data.fix : undefined;
    return { code: typeof code === 'string' ? code : 'error', message: e.message, ...(fix ? { fix } : {}) };
  }
  return { code: 'error', message: String(e) };
}

export function applyUpdate<R>(s: ProgressState<R>, u: ProgressUpdate<R>): ProgressState<R> {
  switch (u.kind) {
    case 'step': {
      const at = s.steps.findIndex((x) => x.seq === u.step.seq);
      let steps = at < 0 ? [...s.steps, u.step] : s.steps.map((x, i) => (i === at ? u.step : x));
      // the engine reports an action's outcome as a new step: it ends the last running one of that phase and node
      if (u.step.status !== 'running') {
        const open = steps.map((x) => x.status === 'running' && x.seq !== u.step.seq && x.phase === u.step.phase && x.node === u.step.node).lastIndexOf(true);
        if (open >= 0) steps = steps.map((x, i) => (i === open ? { ...x, status: u.step.status } : x));
      }
      return { ...s, steps };
    }
    case 'check':
      return { ...s, checks: [...s.checks, u.check] };
    case 'done':
      return { ...s, status: 'done', result: u.result };
    case 'failed':
      return { ...s, status: 'failed', error: u.error };
  }
}

export function useProgress<R>() {
  const [state, setState] = useState<ProgressState<R>>(idle);
  const running = useRef<AbortController | null>(null);

  const run = useCallback(async (open: (signal: AbortSignal) => Promise<AsyncIterable<ProgressUpdate<R>>>): Promise<ProgressState<R>> => {
    running.current?.abort();
    const abort = new AbortController();
    running.current = abort;
    let s: ProgressState<R> = { ...idle<R>(), status: 'running' };
    setState(s);
    try {
      for await (const u of await open(abort.signal)) {
        if (abort.signal.aborted) break;
        s = applyUpdate(s, u);
        setState(s);
        if (u.kind === 'done' || u.kind === 'failed') break;
      }
      if (s.status === 'running') s = { ...s, status: 'failed', error: { code: 'ended', message: 'The backend ended the step without a result.', fix: 'Run the step again.' } };
    } catch (e) {
      s = { ...s, status: 'failed', error: errorOf(e) };
    }
    if (!abort.signal.aborted) setState(s);
    return s;
  }, []);

  const reset = useCallback(() => {
    running.current?.abort();
    setState(idle());
  }, []);

  useEffect(() => () => running.current?.abort(), []);
  return { state, run, reset };
}
