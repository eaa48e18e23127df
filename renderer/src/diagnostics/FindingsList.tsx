import type { Finding } from '../../../shared/analysis/types.js';
import { formatUtc, groupLabel } from './format.js';

interface Props {
  findings: Finding[];
  onJumpToFrame(frame: number): void;
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;
const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Note' } as const;

/** Findings, most severe first; a finding's frames button jumps to them in the packet table. */
export function FindingsList({ findings, onJumpToFrame }: Props) {
  if (findings.length === 0) {
    return <p className="empty-note">No problems found in this capture.</p>;
  }
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.time - b.time);
  return (
    <ul className="findings">
      {sorted.map((f, i) => (
        <li key={i} className={`finding ${f.severity}`} data-kind={f.kind}>
          <div className="finding-head">
            <span className={`severity ${f.severity}`}>{SEVERITY_LABEL[f.severity]}</span>
            <span className="finding-kind">{f.kind}</span>
            <span className="finding-where">
              {f.group ? groupLabel(f.group) : f.vhid !== undefined ? `vhid ${f.vhid}` : ''} · {formatUtc(f.time)}
            </span>
          </div>
          <p className="finding-message">{f.message}</p>
          <p className="finding-fix">
            <strong>Fix: </strong>
            {f.fix}
          </p>
          {f.frames.length > 0 && (
            <button type="button" className="link-button" onClick={() => onJumpToFrame(f.frames[0])}>
              Show frame{f.frames.length > 1 ? 's' : ''} {f.frames.slice(0, 6).join(', ')}
              {f.frames.length > 6 ? '…' : ''} in the packet table
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
