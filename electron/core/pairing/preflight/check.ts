// Building PreflightChecks: one place for the shape, so every check reads the same way.
import type { NodeRole, PreflightCheck } from '../../../../shared/pairing/schema.js';

type Status = PreflightCheck['status'];

export interface CheckInput {
  id: string;
  node: NodeRole | null;
  title: string;
  detail: string;
  fix?: string;
  segment?: string;
  remedy?: { id: string; label: string };
  overridable?: boolean;
}

export function check(status: Status, c: CheckInput): PreflightCheck {
  const out: PreflightCheck = { id: c.id, node: c.node, title: c.title, status, detail: c.detail, fix: status === 'pass' ? '' : (c.fix ?? ''), overridable: c.overridable ?? false };
  if (c.segment !== undefined) out.segment = c.segment;
  if (c.remedy && status !== 'pass') out.remedy = c.remedy;
  return out;
}

export const pass = (c: CheckInput) => check('pass', c);
export const warn = (c: CheckInput) => check('warn', c);
export const fail = (c: CheckInput) => check('fail', c);
export const skipped = (c: CheckInput) => check('skipped', c);

/** "a, b and c" */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
