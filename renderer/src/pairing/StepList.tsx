// Progress in plain words, one line per step, the way an installer shows it: "Staging carpd on fw2 … done".
import type { PairStep } from '../../../shared/pairing/schema.js';
import { STEP_STATUS_LABEL } from './labels.js';

export function StepList({ steps, label }: { steps: PairStep[]; label: string }) {
  if (steps.length === 0) return null;
  return (
    <ol className="step-list" aria-label={label}>
      {steps.map((s) => (
        <li key={s.seq} className={`step-line ${s.status} ${s.phase}`} data-phase={s.phase}>
          <span className="step-message">{s.message}</span>
          <span className={`step-status ${s.status}`}>{STEP_STATUS_LABEL[s.status]}</span>
        </li>
      ))}
    </ol>
  );
}
