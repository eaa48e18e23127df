// Step 1: the two firewalls. Pick nodes already connected in the control panel, or connect one here (its host
// key and password are asked in a dialog); then name which is the primary.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ClusterNode, ClusterPrompt } from '../../../shared/api/cluster-contract.js';
import { errorOf, type PairingError } from './progress.js';
import { PromptDialog, type PromptAnswer } from './PromptDialog.js';
import type { PairingSource } from './source.js';
import { ErrorNote } from './ErrorNote.js';

export interface ConnectStepProps {
  source: PairingSource;
  primary: string;
  secondary: string;
  onPick(role: 'primary' | 'secondary', node: string): void;
  onStart(): Promise<PairingError | null>;
}

function useClusterNodes(source: PairingSource) {
  const [nodes, setNodes] = useState<ClusterNode[] | null>(null);
  const [error, setError] = useState<PairingError | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    void (async () => {
      try {
        for await (const u of await source.nodes(abort.signal)) {
          setNodes(u.nodes);
          setError(null);
        }
      } catch (e) {
        if (!abort.signal.aborted) setError(errorOf(e));
      }
    })();
    return () => abort.abort();
  }, [source]);
  return { nodes, error };
}

export function ConnectStep({ source, primary, secondary, onPick, onStart }: ConnectStepProps) {
  const { nodes, error: listError } = useClusterNodes(source);
  // nodes connected here, listed at once even before the node list refreshes
  const [added, setAdded] = useState<string[]>([]);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<PairingError | null>(null);
  const ready = [...new Set([...(nodes ?? []).filter((n) => n.connection.state === 'ready').map((n) => n.id), ...added])];
  const picked = (node: string) => {
    setAdded((a) => (a.includes(node) ? a : [...a, node]));
    if (!primary) onPick('primary', node);
    else if (!secondary && node !== primary) onPick('secondary', node);
  };
  const start = async () => {
    setStarting(true);
    setStartError(await onStart());
    setStarting(false);
  };
  const same = primary !== '' && primary === secondary;
  return (
    <div className="pair-step">
      <section className="panel" aria-labelledby="pair-nodes">
        <h2 id="pair-nodes">Which two firewalls?</h2>
        <p className="hint">The primary normally holds the virtual addresses; the secondary takes over when it cannot. Both must be reachable over SSH as root or a sudo user.</p>
        {listError && <p className="empty-note">Connected firewalls cannot be listed right now ({listError.message}). Connect them below.</p>}
        {ready.length === 0 ? (
          <p className="empty-note">No firewall is connected yet. Connect both below.</p>
        ) : (
          <div className="node-picks">
            <NodeSelect label="Primary firewall" value={primary} nodes={ready} onChange={(n) => onPick('primary', n)} />
            <NodeSelect label="Secondary firewall" value={secondary} nodes={ready} onChange={(n) => onPick('secondary', n)} />
          </div>
        )}
        {same && <p className="form-errors">The primary and the secondary must be two different firewalls.</p>}
        <div className="step-actions">
          <button type="button" className="button primary" disabled={!primary || !secondary || same || starting} onClick={() => void start()}>
            {starting ? 'Starting…' : 'Continue to preflight'}
          </button>
        </div>
        {startError && <ErrorNote title="Cannot start the pairing" error={startError} />}
      </section>
      <AddNode source={source} onConnected={picked} />
    </div>
  );
}

function NodeSelect({ label, value, nodes, onChange }: { label: string; value: string; nodes: string[]; onChange(node: string): void }) {
  return (
    <label className="pair-field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose a firewall…</option>
        {nodes.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

function AddNode({ source, onConnected }: { source: PairingSource; onConnected(node: string): void }) {
  const [target, setTarget] = useState('');
  const [identity, setIdentity] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [prompt, setPrompt] = useState<ClusterPrompt | null>(null);
  const [result, setResult] = useState<{ ok: true; text: string } | { ok: false; error: PairingError } | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const connect = async (e: FormEvent) => {
    e.preventDefault();
    const t = target.trim();
    if (!/^[^@\s]+@[^@\s]+$/.test(t)) {
      setResult({ ok: false, error: { code: 'bad-target', message: `"${t}" is not USER@HOST[:PORT]`, fix: 'Write it as ssh would take it, e.g. root@192.168.1.2 or admin@fw2.lan:2222.' } });
      return;
    }
    abort.current?.abort();
    const a = new AbortController();
    abort.current = a;
    setBusy(t);
    setResult(null);
    try {
      for await (const u of await source.connect({ target: t, identity: identity.trim() || undefined, remember: remember || undefined }, a.signal)) {
        if (u.kind === 'prompt') setPrompt(u.prompt);
        else {
          setPrompt(null);
          if (u.kind === 'connected') {
            setResult({ ok: true, text: `Connected to ${u.node} (host key ${u.fingerprint}).` });
            setTarget('');
            onConnected(u.node);
          } else setResult({ ok: false, error: u.error });
          break;
        }
      }
    } catch (err) {
      if (!a.signal.aborted) setResult({ ok: false, error: errorOf(err) });
    }
    setPrompt(null);
    setBusy(null);
  };

  const answer = async (id: string, a: PromptAnswer) => {
    setPrompt(null);
    try {
      await source.answer({ id, ...a });
    } catch (err) {
      setResult({ ok: false, error: errorOf(err) });
    }
  };

  return (
    <section className="panel" aria-labelledby="pair-add">
      <h2 id="pair-add">Connect a firewall</h2>
      <form className="add-node" onSubmit={(e) => void connect(e)}>
        <label className="pair-field">
          <span>SSH address</span>
          <input value={target} placeholder="root@192.168.1.2" onChange={(e) => setTarget(e.target.value)} spellCheck={false} autoComplete="off" />
        </label>
        <label className="pair-field">
          <span>Private key file (optional)</span>
          <input value={identity} placeholder="/home/me/.ssh/id_ed25519" onChange={(e) => setIdentity(e.target.value)} spellCheck={false} autoComplete="off" />
        </label>
        <label className="pair-toggle">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          Remember the password
        </label>
        <button type="submit" className="button" disabled={busy !== null || target.trim() === ''}>
          {busy ? `Connecting to ${busy}…` : 'Connect'}
        </button>
      </form>
      {result?.ok && (
        <p className="ok-note" role="status">
          {result.text}
        </p>
      )}
      {result && !result.ok && <ErrorNote title="Cannot connect" error={result.error} />}
      {prompt && busy && <PromptDialog prompt={prompt} target={busy} onAnswer={(a) => void answer(prompt.id, a)} />}
    </section>
  );
}
