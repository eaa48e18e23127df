// Checks grouped by node, each with its plain result and its fix; remedies and overrides where offered.
import type { NodeRole, PreflightCheck } from '../../../shared/pairing/schema.js';
import { roleName, STATUS_LABEL } from './labels.js';

export interface CheckListProps {
  checks: PreflightCheck[];
  names: { primary: string; secondary: string };
  overrides?: string[];
  onOverride?(id: string, on: boolean): void;
  onRemedy?(node: NodeRole, remedy: { id: string; label: string }): void;
  busy?: boolean;
}

const GROUPS: (NodeRole | null)[] = ['primary', 'secondary', null];

export function CheckList({ checks, names, overrides = [], onOverride, onRemedy, busy = false }: CheckListProps) {
  return (
    <div className="check-groups">
      {GROUPS.map((role) => {
        const list = checks.filter((c) => c.node === role);
        if (list.length === 0) return null;
        const heading = roleName(role, names);
        return (
          <section key={role ?? 'pair'} className="check-group" aria-label={heading}>
            <h3>{heading}</h3>
            <ul className="pair-checks">
              {list.map((c, i) => (
                <li key={`${c.id} ${c.segment ?? ''} ${i}`} className={`pair-check ${c.status}`} data-check={c.id}>
                  <span className={`check-status ${c.status}`}>{c.overridden ? 'Overridden' : STATUS_LABEL[c.status]}</span>
                  <div className="check-body">
                    <strong>
                      {c.title}
                      {c.segment ? ` (${c.segment})` : ''}
                    </strong>
                    <p>{c.detail}</p>
                    {c.status !== 'pass' && c.fix && <p className="finding-fix">{c.fix}</p>}
                    {c.remedy && role !== null && onRemedy && c.status !== 'pass' && (
                      <button type="button" className="button" disabled={busy} onClick={() => onRemedy(role, c.remedy!)}>
                        {c.remedy.label}
                      </button>
                    )}
                    {c.overridable && c.status === 'fail' && onOverride && (
                      <label className="pair-toggle override">
                        <input type="checkbox" checked={overrides.includes(c.id) || c.overridden === true} disabled={busy} onChange={(e) => onOverride(c.id, e.target.checked)} />
                        Override “{c.title}”: I understand the risk and want to continue anyway
                      </label>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
