// Step 4: both firewalls staged and validated, then started; step by step in plain words. On failure, what was
// rolled back.
import type { PairStep } from '../../../shared/pairing/schema.js';
import { ErrorNote } from './ErrorNote.js';
import type { ProgressState } from './progress.js';
import { StepList } from './StepList.js';

export function ApplyStep({ progress, onBack, onContinue }: { progress: ProgressState<{ applied: boolean }>; onBack(): void; onContinue(): void }) {
  const rolledBack = progress.steps.filter((s) => s.phase === 'rollback');
  const applying = progress.steps.filter((s) => s.phase !== 'rollback');
  return (
    <div className="pair-step">
      <section className="panel" aria-labelledby="pair-apply">
        <h2 id="pair-apply">Applying</h2>
        <p role="status" className="step-summary">
          {progress.status === 'running'
            ? 'Setting up both firewalls. Neither starts until both are staged and validated.'
            : progress.status === 'done'
              ? 'Both firewalls are set up and running as a pair.'
              : progress.status === 'failed'
                ? failedSummary(rolledBack)
                : 'Waiting to apply…'}
        </p>
        <StepList steps={applying} label="Apply progress" />
        {progress.error && <ErrorNote title="Apply failed" error={progress.error} />}
      </section>
      {rolledBack.length > 0 && (
        <section className="panel" aria-labelledby="pair-rollback">
          <h2 id="pair-rollback">What was rolled back</h2>
          <StepList steps={rolledBack} label="Rollback" />
        </section>
      )}
      <div className="step-actions">
        {progress.status === 'failed' && (
          <button type="button" className="button" onClick={onBack}>
            Back to the plan
          </button>
        )}
        <button type="button" className="button primary" disabled={progress.status !== 'done'} onClick={onContinue}>
          Continue to verify
        </button>
      </div>
    </div>
  );
}

function failedSummary(rolledBack: PairStep[]): string {
  if (rolledBack.length === 0) return 'Applying failed.';
  if (rolledBack.some((s) => s.status === 'failed')) return 'Applying failed, and rolling back did not finish: check the firewalls listed below.';
  return 'Applying failed; both firewalls were put back as they were.';
}
