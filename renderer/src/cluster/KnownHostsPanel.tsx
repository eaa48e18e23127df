// The pinned SSH host keys (trust on first use): which key CarpDeck trusts for each firewall, and Forget (as
// ssh-keygen -R) so the next connection asks again.
import { useCallback, useEffect, useId, useState } from 'react';
import type { KnownHostView } from '../../../shared/api/cluster-contract.js';
import { ErrorNote } from './HostKeyWarning.js';
import { opensshKeyName } from './PromptDialog.js';
import { toPanelError, type HostKeySource, type PanelError } from './source.js';

export function KnownHostsPanel({ hostKeys, version }: { hostKeys: HostKeySource; /** Changes whenever a pin may have changed elsewhere. */ version: number }) {
  const id = useId();
  const [hosts, setHosts] = useState<KnownHostView[] | null>(null);
  const [file, setFile] = useState('');
  const [problem, setProblem] = useState<PanelError | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const r = await hostKeys.list();
      if (r.ok) {
        setHosts(r.hosts);
        setFile(r.file);
        setProblem(null);
      } else setProblem(r.error);
    } catch (err) {
      setProblem(toPanelError(err));
    }
  }, [hostKeys]);

  useEffect(() => {
    void load();
  }, [load, version]);

  const forget = async (target: string) => {
    setConfirming(null);
    try {
      const r = await hostKeys.forget(target);
      if (!r.ok) return setProblem(r.error);
    } catch (err) {
      return setProblem(toPanelError(err));
    }
    await load();
  };

  return (
    <section className="panel known-hosts" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Known hosts</h2>
      <p className="hint">
        The SSH host key CarpDeck trusts for each firewall{file && <> (kept in <code>{file}</code>)</>}. A different key is refused. Forget a host only if you know its
        key changed: the next connection shows the new key for you to compare.
      </p>
      {problem && <ErrorNote error={problem} />}
      {hosts !== null && hosts.length === 0 && <p className="empty-note">No host keys pinned yet.</p>}
      {hosts !== null && hosts.length > 0 && (
        <table className="known-hosts-table">
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Key</th>
              <th scope="col">Fingerprint</th>
              <th scope="col">Pinned</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => (
              <tr key={h.target} aria-label={`Known host ${h.target}`}>
                <td>{h.target}</td>
                <td>{opensshKeyName(h.keyType)}</td>
                <td>
                  <code>{h.fingerprint}</code>
                </td>
                <td>{Number.isNaN(Date.parse(h.pinnedAt)) ? h.pinnedAt : new Date(h.pinnedAt).toLocaleString()}</td>
                <td>
                  {confirming === h.target ? (
                    <span className="known-host-confirm">
                      <button type="button" className="button danger" onClick={() => void forget(h.target)}>
                        Forget {h.target}
                      </button>
                      <button type="button" className="button subtle" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="button" onClick={() => setConfirming(h.target)}>
                      Forget…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
