import { useState } from 'react';
import type { DiscoveryRecording } from '../../../shared/api/contract.js';
import { fetchRecording, openInDiagnostics, recordingFile, recordingFileName, saveFile } from './recording-file.js';
import type { DiscoverySource } from './source.js';

const STOPPED = { user: '', limit: ' (stopped at the size limit)', 'capture-ended': ' (the capture ended)' } as const;

/** Record the live capture, then save it as pcapng or open it in the Diagnostics view. */
export function RecordingBar({ source, recording, live, error, onRecord }: { source: DiscoverySource; recording: DiscoveryRecording | null; live: boolean; error: string | null; onRecord(on: boolean): void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [fetchError, setFetchError] = useState<string | null>(null);
  const withFile = async (what: string, use: (f: File) => void) => {
    if (!recording) return;
    setBusy(what);
    setFetchError(null);
    try {
      use(recordingFile(await fetchRecording(source, recording.id), recordingFileName(recording.interface, recording.started)));
    } catch (err) {
      setFetchError(`Cannot fetch the recording: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(null);
    }
  };
  const active = recording?.active ?? false;
  const saved = recording && !active && recording.frames > 0;
  return (
    <div className="recording-bar" aria-label="Recording">
      {recording && (
        <span className={active ? 'recording-status active' : 'recording-status'} role="status">
          {active ? 'Recording' : 'Recorded'} {recording.frames.toLocaleString('en-US')} packet{recording.frames === 1 ? '' : 's'} · {kib(recording.bytes)}
          {recording.stopped ? STOPPED[recording.stopped] : ''}
        </span>
      )}
      {live && !active && (
        <button type="button" className="button" onClick={() => onRecord(true)}>
          {recording ? 'Record again' : 'Record'}
        </button>
      )}
      {active && (
        <button type="button" className="button" onClick={() => onRecord(false)}>
          Stop recording
        </button>
      )}
      {saved && (
        <>
          <button type="button" className="button" disabled={busy !== null} onClick={() => void withFile('save', saveFile)}>
            {busy === 'save' ? 'Preparing…' : 'Save as pcapng'}
          </button>
          <button type="button" className="button" disabled={busy !== null} onClick={() => void withFile('open', openInDiagnostics)}>
            {busy === 'open' ? 'Preparing…' : 'Open in Diagnostics'}
          </button>
        </>
      )}
      {(error ?? fetchError) && (
        <span className="form-errors" role="alert">
          {error ?? fetchError}
        </span>
      )}
    </div>
  );
}

function kib(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
