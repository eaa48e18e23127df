import { useState } from 'react';
import { FileOpener } from './FileOpener.js';
import { SecretsEditor } from './SecretsEditor.js';
import { ChecksOverview } from './ChecksOverview.js';
import { ReportView } from './ReportView.js';
import { parseSecrets, type SecretDraft } from './secrets.js';
import { useAnalysis, type WorkerFactory } from './use-analysis.js';
import { exportReportHtml } from './export-html.js';
import { downloadText, reportFileName } from './download.js';
import { formatBytes, formatCount, sentence } from './format.js';
import { captureErrorTitle } from './capture-errors.js';
import { useWindowDrop } from './use-window-drop.js';
import './diagnostics.css';

interface Props {
  /** Tests replace the Web Worker with a fake. */
  createWorker?: WorkerFactory;
}

/** Offline diagnosis of a capture file: open, analyse in a worker, then show and export the report. */
export function DiagnosticsView({ createWorker }: Props) {
  const { state, analyse, reset } = useAnalysis(createWorker);
  const [drafts, setDrafts] = useState<SecretDraft[]>([]);
  const [secretErrors, setSecretErrors] = useState<string[]>([]);

  const open = (file: File) => {
    const parsed = parseSecrets(drafts);
    if (!parsed.ok) {
      setSecretErrors(parsed.errors);
      return;
    }
    setSecretErrors([]);
    analyse(file, parsed.secrets);
  };

  useWindowDrop(open);

  const exportReport = () => {
    if (state.phase !== 'done') return;
    const html = exportReportHtml(state.report, { fileName: state.fileName, generatedAt: new Date(), syncFlows: state.syncFlows });
    downloadText(html, reportFileName(state.fileName), 'text/html');
  };

  return (
    <div className="diagnostics">
      <div className="page-head">
        <div>
          <h1>Diagnostics</h1>
          <p className="page-sub">
            {state.phase === 'idle'
              ? 'Open a capture to see who was master of each CARP or VRRP group, why it changed, and what is misconfigured.'
              : state.fileName}
          </p>
        </div>
        {state.phase === 'done' && (
          <div className="page-actions">
            <FileOpener onFile={open} compact />
            <button type="button" className="button primary" onClick={exportReport}>
              Export HTML report
            </button>
          </div>
        )}
      </div>

      {state.phase === 'idle' && (
        <div className="start">
          <FileOpener onFile={open} />
          <SecretsEditor drafts={drafts} errors={secretErrors} onChange={setDrafts} />
          <ChecksOverview />
        </div>
      )}

      {state.phase === 'parsing' && (
        <div className="panel progress-panel" role="status" aria-live="polite">
          <p>
            Analysing <strong>{state.fileName}</strong>: {formatBytes(state.bytesRead)} of {formatBytes(state.totalBytes)},{' '}
            {formatCount(state.packets)} packets
          </p>
          <progress max={state.totalBytes || 1} value={state.bytesRead} aria-label="Analysis progress" />
          <button type="button" className="button subtle" onClick={reset}>
            Cancel
          </button>
        </div>
      )}

      {state.phase === 'error' && (
        <div className="panel error-panel" role="alert">
          <h2>{captureErrorTitle(state.code)}</h2>
          <p className="error-message">{sentence(state.message)}</p>
          <p className="error-where">
            {state.fileName}
            {state.offset !== undefined && ` · at byte ${formatCount(state.offset)}`} · {state.code}
          </p>
          <p className="hint">CarpDeck reads pcap and pcapng files (tcpdump -w, Wireshark, dumpcap, pfSense Packet Capture).</p>
          <FileOpener onFile={open} compact />
        </div>
      )}

      {state.phase === 'done' && <ReportView report={state.report} columns={state.columns} syncFlows={state.syncFlows} />}
    </div>
  );
}
