// Actions and deploys in progress and done: each step as the nodes report it, an upload bar, and the result.
import { bytes, percent, type Run } from './actions.js';

const STATUS_TEXT = { running: 'running', done: 'done', failed: 'failed' } as const;

export function RunsPanel({ runs, onDismiss }: { runs: Run[]; onDismiss(id: number): void }) {
  if (runs.length === 0) return null;
  return (
    <section className="panel runs-panel" aria-label="Actions">
      <h2>Actions</h2>
      <ul className="runs">
        {runs.map((r) => (
          <li key={r.id} className="run" aria-label={r.title} data-result={r.result ? (r.result.ok ? 'ok' : 'failed') : 'running'}>
            <div className="run-head">
              <strong>{r.title}</strong>
              <span className={`run-state ${r.result ? (r.result.ok ? 'ok' : 'failed') : 'running'}`}>{r.result ? (r.result.ok ? '✓ Done' : '✗ Failed') : 'In progress…'}</span>
              {r.result && (
                <button type="button" className="link-button" onClick={() => onDismiss(r.id)} aria-label={`Dismiss ${r.title}`}>
                  Dismiss
                </button>
              )}
            </div>
            {r.transfer && (
              <div className="transfer">
                <progress max={r.transfer.total} value={r.transfer.sent} aria-label={`Upload to ${r.title.replace(/^.*· /, '')}`} />
                <span>
                  {percent(r.transfer)} % · {bytes(r.transfer.sent)} of {bytes(r.transfer.total)}
                </span>
              </div>
            )}
            {r.steps.length > 0 &&
              (r.result?.ok ? (
                <details>
                  <summary>{r.steps.length === 1 ? '1 step' : `${r.steps.length} steps`}</summary>
                  <Steps run={r} />
                </details>
              ) : (
                <Steps run={r} />
              ))}
            {r.result && (
              <p className={r.result.ok ? 'run-result ok' : 'run-result failed'} role={r.result.ok ? undefined : 'alert'}>
                {r.result.message}
                {r.result.error && r.result.error.message !== r.result.message && ` (${r.result.error.message})`}
                {r.result.error?.fix && (
                  <>
                    {' '}
                    <strong>Fix: </strong>
                    {r.result.error.fix}
                  </>
                )}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Steps({ run }: { run: Run }) {
  return (
    <ol className="run-steps">
      {run.steps.map((s) => (
        <li key={`${s.node ?? ''} ${s.step}`} className={`run-step ${s.status}`} data-step={s.step}>
          <span className="run-step-status">{STATUS_TEXT[s.status]}</span> {s.node && <span className="mono">{s.node}</span>} <span className="run-step-name">{s.step}</span>: {s.message}
        </li>
      ))}
    </ol>
  );
}
