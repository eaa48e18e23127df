// The step log: every step shown to the user ("Staging carpd on fw2 ... done") is numbered, timed and kept for the
// report. A listener that returns a promise is awaited, so a UI can pace the steps (and a test can act between them).
import type { NodeRole, PairStep } from '../../../shared/pairing/schema.js';

export type StepListener = (step: PairStep) => void | Promise<void>;

export class StepLog {
  readonly steps: PairStep[] = [];
  private seq = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async emit(listener: StepListener, phase: PairStep['phase'], node: NodeRole | null, status: PairStep['status'], message: string): Promise<PairStep> {
    const step: PairStep = { seq: this.seq++, time: this.now(), phase, node, status, message };
    this.steps.push(step);
    await listener(step);
    return step;
  }

  /** Runs `work` as one step: `running`, then `done` (with the message it returns, if any) or `failed` (and rethrows). */
  async run<T>(listener: StepListener, phase: PairStep['phase'], node: NodeRole | null, message: string, work: () => Promise<T>, doneMessage?: (r: T) => string): Promise<T> {
    await this.emit(listener, phase, node, 'running', message);
    try {
      const r = await work();
      await this.emit(listener, phase, node, 'done', doneMessage ? doneMessage(r) : message);
      return r;
    } catch (e) {
      await this.emit(listener, phase, node, 'failed', `${message}: ${errorText(e)}`);
      throw e;
    }
  }
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
