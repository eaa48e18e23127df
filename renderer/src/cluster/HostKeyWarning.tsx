// A refused, changed host key: the one SSH failure that may mean an attack, so it gets its own red warning.
import type { PanelError } from './source.js';
import { CONSOLE_CHECK } from './PromptDialog.js';

export function isHostKeyChanged(error: PanelError | undefined | null): boolean {
  return !!error && (error.code === 'host-key-changed' || /host key .*has changed/i.test(error.message));
}

export function HostKeyWarning({ target, error }: { target: string; error: PanelError }) {
  return (
    <section className="key-changed" role="alert" aria-label={`Host key of ${target} changed`}>
      <h3>The host key of {target} has CHANGED: connection refused</h3>
      <p className="error-message">{error.message}</p>
      <p>
        <strong>What it may mean: </strong>something between you and the firewall may be intercepting the connection (a man-in-the-middle), or the firewall was
        reinstalled or its SSH host keys were regenerated.
      </p>
      <p>
        <strong>How to fix: </strong>check the key on the firewall's own console with <code>{CONSOLE_CHECK}</code>. Remove the old key from CarpDeck's known hosts
        only if you know why it changed (a reinstall or a key rotation you did), then add the node again to trust the new key. If nobody can explain the change, do not
        connect.
      </p>
      {error.fix && <p className="finding-fix">{error.fix}</p>}
    </section>
  );
}

export function ErrorNote({ error }: { error: PanelError }) {
  return (
    <div className="cluster-error" role="alert">
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
