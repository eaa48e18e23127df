// Step 6: the commissioning report to hand over on site, as a standalone HTML page and as JSON.
import { useState } from 'react';
import type { CommissioningReport } from '../../../shared/pairing/schema.js';
import { downloadText } from '../diagnostics/download.js';
import { ErrorNote } from './ErrorNote.js';
import { errorOf, type PairingError } from './progress.js';
import type { PairingApi } from './source.js';

export function reportBaseName(report: CommissioningReport): string {
  const day = new Date(report.created).toISOString().slice(0, 10);
  const name = report.plan.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'pair';
  return `${name}-commissioning-${day}`;
}

export function ReportStep({ api, pairing, onBack }: { api: PairingApi; pairing: string; onBack(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PairingError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = async (kind: 'html' | 'json') => {
    setBusy(true);
    setError(null);
    try {
      const { report, html } = await api.report({ pairing });
      const file = `${reportBaseName(report)}.${kind}`;
      if (kind === 'html') downloadText(html, file, 'text/html');
      else downloadText(`${JSON.stringify(report, null, 2)}\n`, file, 'application/json');
      setSaved(file);
    } catch (e) {
      setError(errorOf(e));
    }
    setBusy(false);
  };
  return (
    <div className="pair-step">
      <section className="panel" aria-labelledby="pair-report">
        <h2 id="pair-report">Commissioning report</h2>
        <p className="hint">Addresses, versions, every check, the drill&apos;s results and the event log. The HTML page opens offline; the JSON is for tools.</p>
        <div className="step-actions">
          <button type="button" className="button primary" disabled={busy} onClick={() => void save('html')}>
            Download HTML report
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => void save('json')}>
            Download JSON report
          </button>
        </div>
        {saved && (
          <p className="ok-note" role="status">
            Saved {saved}.
          </p>
        )}
        {error && <ErrorNote title="Cannot produce the report" error={error} />}
      </section>
      <div className="step-actions">
        <button type="button" className="button" onClick={onBack}>
          Back to verify and drill
        </button>
      </div>
    </div>
  );
}
