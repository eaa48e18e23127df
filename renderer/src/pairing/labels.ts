// Plain words for the wizard's values.
import type { NodeRole, PairStep, PreflightCheck } from '../../../shared/pairing/schema.js';

export const STATUS_LABEL: Record<PreflightCheck['status'], string> = { pass: 'Passed', warn: 'Warning', fail: 'Failed', skipped: 'Skipped' };

export const STEP_STATUS_LABEL: Record<PairStep['status'], string> = { running: 'in progress', done: 'done', failed: 'failed', skipped: 'skipped' };

export const PHASE_LABEL: Record<string, string> = {
  'maintenance-enter': 'Primary enters maintenance',
  'maintenance-leave': 'Primary leaves maintenance',
  'link-loss': 'Primary loses its LAN link',
};

export function roleName(role: NodeRole | null, names: { primary: string; secondary: string }): string {
  if (role === null) return 'Both nodes';
  return role === 'primary' ? `Primary (${names.primary})` : `Secondary (${names.secondary})`;
}

/** Failing checks that stop the pairing: not overridable, or overridable but not overridden. */
export function blockingChecks(checks: PreflightCheck[], overrides: string[]): PreflightCheck[] {
  return checks.filter((c) => c.status === 'fail' && !c.overridden && !(c.overridable && overrides.includes(c.id)));
}

/** A duration as people read it: "54 ms", "3.4 s". */
export function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
