import type { PairingError } from './progress.js';

/** A failure in plain words with what to do about it. */
export function ErrorNote({ title, error }: { title: string; error: PairingError }) {
  return (
    <div className="pair-error" role="alert">
      <strong>{title}</strong>
      <p className="error-message">{error.message}</p>
      {error.fix && <p className="finding-fix">{error.fix}</p>}
    </div>
  );
}
