// The two-phase apply. Phase 1 stages both nodes (bundle uploaded, files written to a staging folder, checked by
// the node's own carpd --check) and changes nothing that runs. Only when both are staged does phase 2 activate:
// the primary first, so it takes the VIPs once and the secondary joins as backup (no preemption flip-flop), the
// secondary right after, so the state sync's startup resync finds its peer at once. Any failure, on either node and
// in either phase, rolls back every node touched, secondary first (so the VIPs never move to a half-configured
// secondary while the primary bows out), and the apply fails with the first error.
import type { NodeRole } from '../../../shared/pairing/schema.js';
import { errorText, type StepListener, type StepLog } from './steps.js';

/** What apply does to one node; the SSH implementation is node-ops.ts, tests use fakes. */
export interface NodeOps {
  readonly role: NodeRole;
  readonly label: string;
  /** Records what is on the node now (files, version, service state) so a rollback can restore exactly that. */
  snapshot(): Promise<string>;
  /** Uploads and checks everything; nothing that runs changes. Returns a summary for people. */
  stage(): Promise<string>;
  activate(): Promise<string>;
  /** Puts the node back as the snapshot found it. */
  rollback(): Promise<string>;
  /** After both nodes run: removes what only a rollback needed (the backup, the staging folder). */
  finish(): Promise<void>;
}

export class ApplyError extends Error {
  readonly code = 'apply-failed';
  constructor(
    message: string,
    readonly where: string,
    readonly rolledBack: boolean,
  ) {
    super(message);
    this.name = 'ApplyError';
  }
}

export async function applyTwoPhase(nodes: { primary: NodeOps; secondary: NodeOps }, log: StepLog, onStep: StepListener): Promise<void> {
  const order = [nodes.primary, nodes.secondary];
  const touched = new Set<NodeOps>();
  try {
    for (const n of order) {
      touched.add(n);
      await log.run(onStep, 'stage', n.role, `Recording what is on ${n.label} now (for a rollback)`, () => n.snapshot(), (r) => r);
    }
    // both at once (the upload dominates); settled before anything else so a rollback never races a running stage
    const staged = await Promise.allSettled(order.map((n) => log.run(onStep, 'stage', n.role, `Staging carpd and the cluster configuration on ${n.label}`, () => n.stage(), (r) => r)));
    const failed = staged.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    await log.emit(onStep, 'validate', null, 'done', 'Both nodes staged and their configuration accepted by carpd: activating');
    for (const n of order) await log.run(onStep, 'activate', n.role, `Starting carpd on ${n.label} (${n.role})`, () => n.activate(), (r) => r);
  } catch (e) {
    const first = e;
    let clean = true;
    for (const n of [...order].reverse().filter((x) => touched.has(x))) {
      try {
        await log.run(onStep, 'rollback', n.role, `Rolling back ${n.label}`, () => n.rollback(), (r) => r);
      } catch {
        clean = false;
      }
    }
    throw new ApplyError(
      `${errorText(first)}; ${clean ? 'both nodes were rolled back to what they were before' : 'the rollback did not complete on every node: see the steps, and check the nodes'}`,
      (first as { where?: string }).where ?? 'apply',
      clean,
    );
  }
  // the pair runs: the backups are no longer needed (a leftover is harmless, so a failure here is only reported)
  for (const n of order) {
    await n.finish().catch((e: unknown) => log.emit(onStep, 'activate', n.role, 'done', `Left the pairing backup on ${n.label} (${errorText(e)}); remove it by hand if you like`));
  }
}
