// The actions of the panel: their labels, which need confirming and what they will do, and how a run's progress
// updates (as the nodes report them) fold into steps and a result.
import type { ClusterAction, Progress } from '../../../shared/api/cluster-contract.js';
import type { PanelError } from './source.js';

export const ACTION_LABEL: Record<ClusterAction, string> = {
  'maintenance-on': 'Maintenance on',
  'maintenance-off': 'Maintenance off',
  failover: 'Force failover',
  restart: 'Restart carpd',
  'resync-states': 'Resync states',
  'push-config': 'Push config',
};

/** What a destructive action will do, asked before it runs; undefined for actions that run at once. */
export function confirmText(action: ClusterAction, node: string | undefined): string | undefined {
  const who = node ?? 'the current master';
  switch (action) {
    case 'maintenance-on':
      return `${who} bows out: every VIP it holds moves to the peer at once and stays there until maintenance is turned off (maintenance survives a restart).`;
    case 'failover':
      return `${who} gives up master of every vhid now and the peer takes the VIPs. It stays in maintenance until you turn maintenance off. Open connections survive only if state sync is healthy.`;
    case 'restart':
      return `carpd on ${node ?? 'every node'} stops and starts again. A node that is master hands its VIPs to the peer first, so expect a failover and, with preemption, one back.`;
    default:
      return undefined;
  }
}

export interface Step {
  node: string | null;
  step: string;
  message: string;
  status: Progress['status'];
}

export interface Run {
  id: number;
  title: string;
  kind: 'action' | 'deploy';
  steps: Step[];
  /** The latest upload figures (deploy). */
  transfer: { sent: number; total: number } | null;
  result: { ok: boolean; message: string; error?: PanelError } | null;
}

/**
 * `run` with one more progress update. A step already shown (same node and step) is updated in place; a new step
 * of a node means its earlier running steps finished. The final update (with `done`) is the result: the step still
 * running then is where a failure happened, the others finished.
 */
export function applyProgress(run: Run, p: Progress): Run {
  const transfer = p.total !== undefined && p.total > 0 ? { sent: p.sent ?? 0, total: p.total } : run.transfer;
  if (p.done) {
    const failedAt = p.done.ok ? -1 : run.steps.map((s) => s.status).lastIndexOf('running');
    const steps = run.steps.map((s, i): Step => (s.status !== 'running' ? s : { ...s, status: i === failedAt ? 'failed' : 'done' }));
    return { ...run, steps, transfer, result: p.done };
  }
  const step: Step = { node: p.node, step: p.step, message: p.message, status: p.status };
  const at = run.steps.findIndex((s) => s.node === p.node && s.step === p.step);
  const steps =
    at >= 0
      ? run.steps.map((s, i) => (i === at ? step : s))
      : [...run.steps.map((s): Step => (s.status === 'running' && s.node === p.node ? { ...s, status: 'done' } : s)), step];
  return { ...run, steps, transfer };
}

/** A run whose stream ended or broke before its final update. */
export function endRun(run: Run, error: PanelError | null): Run {
  if (run.result) return run;
  const why = error
    ? error
    : { code: 'no-result', message: 'The backend stopped reporting before this finished; check the node\'s status and the timeline.' };
  return { ...run, steps: run.steps.map((s) => (s.status === 'running' ? { ...s, status: 'failed' } : s)), result: { ok: false, message: why.message, error: why } };
}

export function percent(t: { sent: number; total: number }): number {
  return Math.min(100, Math.round((t.sent / t.total) * 100));
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
