// A refused, changed host key: the one SSH failure that may mean an attack, so it gets its own red warning, both
// fingerprints side by side, and a guarded way to trust the new key after checking it on the firewall's console.
import { useId, useState, type FormEvent } from 'react';
import type { HostKeyChange } from '../../../shared/api/cluster-contract.js';
import type { HostKeySource, PanelError } from './source.js';
import { CONSOLE_CHECK, opensshKeyName } from './PromptDialog.js';

/** How many characters of the new fingerprint (after "SHA256:") the person types from the console. */
export const CONFIRM_CHARS = 8;

export function isHostKeyChanged(error: PanelError | undefined | null): boolean {
  return !!error && (error.code === 'host-key-changed' || /host key .*has changed/i.test(error.message));
}

/** Whether what was typed is the start of the fingerprint (with or without "SHA256:"), long enough to count. */
export function confirmsFingerprint(typed: string, fingerprint: string): boolean {
  const body = typed.trim().replace(/^sha256:/i, '');
  return body.length >= CONFIRM_CHARS && fingerprint.replace(/^SHA256:/, '').startsWith(body);
}

export interface HostKeyWarningProps {
  target: string;
  error: PanelError;
  /** Where to replace the pin; without it the warning only explains. */
  hostKeys?: HostKeySource;
  /** After the new key was pinned: connect again. */
  onTrusted?(target: string): void;
}

export function HostKeyWarning({ target, error, hostKeys, onTrusted }: HostKeyWarningProps) {
  const change = error.hostKey;
  return (
    <section className="key-changed" role="alert" aria-label={`Host key of ${target} changed`}>
      <h3>The host key of {target} has CHANGED: connection refused</h3>
      <p className="error-message">{error.message}</p>
      {change && <FingerprintComparison change={change} />}
      <p>
        <strong>What it may mean: </strong>something between you and the firewall may be intercepting the connection (a man-in-the-middle), or the firewall was
        reinstalled or its SSH host keys were regenerated.
      </p>
      <p>
        <strong>How to fix: </strong>check the key on the firewall's own console with <code>{CONSOLE_CHECK}</code>. Trust the new key only if you know why it changed
        (a reinstall or a key rotation you did) and the console shows the offered fingerprint. If nobody can explain the change, do not connect.
      </p>
      {error.fix && <p className="finding-fix">{error.fix}</p>}
      {change && hostKeys && <TrustNewKey target={target} change={change} hostKeys={hostKeys} onTrusted={onTrusted} />}
    </section>
  );
}

function FingerprintComparison({ change }: { change: HostKeyChange }) {
  const since = Number.isNaN(Date.parse(change.pinnedSince)) ? change.pinnedSince : new Date(change.pinnedSince).toLocaleString();
  return (
    <table className="key-compare" aria-label="Pinned and offered host keys">
      <thead>
        <tr>
          <th scope="col">Pinned (trusted since {since})</th>
          <th scope="col">Offered now</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>{opensshKeyName(change.pinnedKeyType)}</td>
          <td>{opensshKeyName(change.keyType)}</td>
        </tr>
        <tr>
          <td>
            <code data-testid="pinned-fingerprint">{change.pinnedFingerprint}</code>
          </td>
          <td>
            <code data-testid="offered-fingerprint">{change.offeredFingerprint}</code>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

// Typing the first characters from the console (rather than ticking a box next to the fingerprint shown here) makes
// the person read the console's fingerprint; a mismatch is named at once and the button stays disabled.
function TrustNewKey({ target, change, hostKeys, onTrusted }: { target: string; change: HostKeyChange; hostKeys: HostKeySource; onTrusted?(target: string): void }) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<PanelError | null>(null);
  const matches = confirmsFingerprint(typed, change.offeredFingerprint);
  const body = typed.trim().replace(/^sha256:/i, '');
  const mismatch = body.length > 0 && !change.offeredFingerprint.replace(/^SHA256:/, '').startsWith(body);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!matches || busy) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await hostKeys.replace({ target, expectedOld: change.pinnedFingerprint, newFingerprint: change.offeredFingerprint });
      if (r.ok) onTrusted?.(target);
      else setProblem(r.error);
    } catch (err) {
      setProblem({ code: 'ERROR', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="trust-new-key" onSubmit={(e) => void submit(e)} aria-label="Trust the new host key">
      <label htmlFor={`${id}-fp`}>
        Type the first {CONFIRM_CHARS} characters after <code>SHA256:</code> of the fingerprint the firewall's console prints
      </label>
      <input
        id={`${id}-fp`}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        placeholder="e.g. q1Jx3mVJ"
        aria-invalid={mismatch ? true : undefined}
        aria-describedby={mismatch ? `${id}-mismatch` : undefined}
      />
      {mismatch && (
        <p className="form-errors" id={`${id}-mismatch`}>
          That is not the start of the key offered now ({change.offeredFingerprint}). If the console shows this, something else answers for {target}: do not trust it.
        </p>
      )}
      <button type="submit" className="button danger" disabled={!matches || busy}>
        {busy ? 'Checking the key the firewall offers…' : 'I checked the new key on the console: trust it'}
      </button>
      {problem && <ErrorNote error={problem} role="status" />}
    </form>
  );
}

export function ErrorNote({ error, role = 'alert' }: { error: PanelError; role?: 'alert' | 'status' }) {
  return (
    <div className="cluster-error" role={role}>
      <p className="error-message">{error.message}</p>
      {error.fix && (
        <p className="finding-fix">
          <strong>Fix: </strong>
          {error.fix}
        </p>
      )}
    </div>
  );
}
