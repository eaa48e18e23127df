import { useState } from 'react';
import type { Finding } from '../../../shared/analysis/types.js';
import { formatUtc, groupLabel } from './format.js';

interface Props {
  findings: Finding[];
  onJumpToFrame(frame: number): void;
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;
const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Note' } as const;
/** Findings shown before "Show all": enough for a typical capture, short enough to reach the timeline. */
export const FINDINGS_SHOWN = 8;
const FRAMES_SHOWN = 8;

/** Findings, most severe first, filterable by kind; a finding's frames button jumps to them in the packet table. */
export function FindingsList({ findings, onJumpToFrame }: Props) {
  const [kind, setKind] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  if (findings.length === 0) {
    return <p className="empty-note">No problems found in this capture.</p>;
  }
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.time - b.time);
  const kinds = new Map<string, { count: number; severity: Finding['severity'] }>();
  for (const f of sorted) {
    const k = kinds.get(f.kind);
    if (k) k.count++;
    else kinds.set(f.kind, { count: 1, severity: f.severity });
  }
  const matching = kind ? sorted.filter((f) => f.kind === kind) : sorted;
  const shown = showAll ? matching : matching.slice(0, FINDINGS_SHOWN);
  return (
    <div>
      {kinds.size > 1 && (
        <div className="finding-kinds" role="group" aria-label="Filter findings by kind">
          <button type="button" className={kind === null ? 'chip active' : 'chip'} aria-pressed={kind === null} onClick={() => setKind(null)}>
            All <span className="chip-count">{findings.length}</span>
          </button>
          {[...kinds].map(([k, { count, severity }]) => (
            <button
              key={k}
              type="button"
              className={`chip ${severity}${kind === k ? ' active' : ''}`}
              aria-pressed={kind === k}
              onClick={() => setKind(kind === k ? null : k)}
            >
              {k} <span className="chip-count">{count}</span>
            </button>
          ))}
        </div>
      )}
      <ul className="findings">
        {shown.map((f, i) => (
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
              <p className="finding-frames">
                <span>Frames in the packet table:</span>
                {f.frames.slice(0, FRAMES_SHOWN).map((frame) => (
                  <button key={frame} type="button" className="link-button" onClick={() => onJumpToFrame(frame)} aria-label={`Show frame ${frame} in the packet table`}>
                    {frame}
                  </button>
                ))}
                {(f.count ?? f.frames.length) > FRAMES_SHOWN && <span>…</span>}
              </p>
            )}
          </li>
        ))}
      </ul>
      {matching.length > FINDINGS_SHOWN && (
        <button type="button" className="button subtle show-all" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show fewer' : `Show all ${matching.length} findings`}
        </button>
      )}
    </div>
  );
}
