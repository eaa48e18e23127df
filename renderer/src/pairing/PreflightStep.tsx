// Step 2: preflight on both nodes. Every check with its result and fix, grouped by node; remedies as buttons;
// overridable failures need an explicit tick; run it again at any time.
import { useState } from 'react';
import type { NodeRole, PreflightReport } from '../../../shared/pairing/schema.js';
import { CheckList } from './CheckList.js';
import { ErrorNote } from './ErrorNote.js';
import { blockingChecks } from './labels.js';
import { useProgress, type ProgressState } from './progress.js';
import type { PairingApi } from './source.js';
import { StepList } from './StepList.js';

export interface PreflightStepProps {
  api: PairingApi;
  pairing: string;
  names: { primary: string; secondary: string };
  progress: ProgressState<PreflightReport>;
  overrides: string[];
  onOverrides(overrides: string[]): void;
  onRun(): void;
  onBack(): void;
  onContinue(report: PreflightReport): void;
}

export function PreflightStep({ api, pairing, names, progress: s, overrides, onOverrides, onRun, onBack, onContinue }: PreflightStepProps) {
  const remedy = useProgress<{ message: string }>();
  const [remedyTitle, setRemedyTitle] = useState('');

  const runRemedy = async (node: NodeRole, offered: { id: string; label: string }) => {
    setRemedyTitle(`${offered.label} on the ${node}`);
    const done = await remedy.run((signal) => api.remedy({ pairing, node, remedy: offered.id }, { signal }));
    if (done.status === 'done') onRun();
  };

  const report = s.result;
  const checks = report?.checks ?? s.checks;
  const blocking = report ? blockingChecks(report.checks, overrides) : [];
  const busy = s.status === 'running' || remedy.state.status === 'running';
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  return (
    <div className="pair-step">
      <section className="panel" aria-labelledby="pair-preflight">
        <div className="panel-head">
          <h2 id="pair-preflight">Preflight</h2>
          <button type="button" className="button" disabled={busy} onClick={onRun}>
            Run preflight again
          </button>
        </div>
        <p role="status" className="step-summary">
          {s.status === 'running'
            ? `Checking both firewalls… ${checks.length} checks so far.`
            : report
              ? blocking.length === 0
                ? `Ready to plan: ${report.checks.length} checks, ${failed ? `${failed} failed but overridden, ` : ''}${warned} warnings.`
                : `${blocking.length} of ${report.checks.length} checks failed. Fix them (or override where allowed) and run preflight again.`
              : s.status === 'failed'
                ? 'Preflight did not finish.'
                : 'Starting preflight…'}
        </p>
        {s.error && <ErrorNote title="Preflight stopped" error={s.error} />}
        <CheckList
          checks={checks}
          names={names}
          overrides={overrides}
          busy={busy}
          onOverride={(id, on) => onOverrides(on ? [...overrides, id] : overrides.filter((o) => o !== id))}
          onRemedy={(node, r) => void runRemedy(node, r)}
        />
      </section>
      {remedy.state.status !== 'idle' && (
        <section className="panel" aria-label="Remedy">
          <h2>{remedyTitle}</h2>
          <StepList steps={remedy.state.steps} label="Remedy progress" />
          {remedy.state.status === 'done' && <p className="ok-note">{remedy.state.result?.message} Preflight runs again.</p>}
          {remedy.state.error && <ErrorNote title="The remedy failed" error={remedy.state.error} />}
        </section>
      )}
      <div className="step-actions">
        <button type="button" className="button" disabled={busy} onClick={onBack}>
          Back
        </button>
        <button type="button" className="button primary" disabled={busy || !report || blocking.length > 0} onClick={() => report && onContinue(report)}>
          Continue to plan
        </button>
      </div>
    </div>
  );
}
