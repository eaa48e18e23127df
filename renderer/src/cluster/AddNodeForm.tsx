// Adding a firewall: its SSH address, how to log in (a key file on the CarpDeck machine, or a password), and
// whether to remember the secret. The password leaves this form with the request and is cleared from it.
import { useId, useState, type FormEvent } from 'react';
import type { ConnectInput } from '../../../shared/api/cluster-contract.js';
import { targetProblem } from './target.js';

export function AddNodeForm({ busy, persistent, onConnect }: { busy: boolean; persistent: boolean | null; onConnect(input: ConnectInput): void }) {
  const id = useId();
  const [target, setTarget] = useState('');
  const [method, setMethod] = useState<'key' | 'password'>('key');
  const [identity, setIdentity] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = targetProblem(target);
    setProblem(p);
    if (p) return;
    const input: ConnectInput = { target: target.trim() };
    if (method === 'key' && identity.trim()) input.identity = identity.trim();
    if (method === 'password' && password) input.password = password;
    if (remember) input.remember = true;
    setPassword('');
    onConnect(input);
  };

  return (
    <section className="panel cluster-add" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Add a node</h2>
      <form onSubmit={submit} className="cluster-add-form" noValidate>
        <label className="wide">
          SSH address
          <input
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            placeholder="root@192.0.2.1 or admin@fw1.example:2222"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
          />
        </label>
        <fieldset className="login-method">
          <legend>Log in with</legend>
          <label>
            <input type="radio" name={`${id}-method`} checked={method === 'key'} onChange={() => setMethod('key')} /> a key file
          </label>
          <label>
            <input type="radio" name={`${id}-method`} checked={method === 'password'} onChange={() => setMethod('password')} /> a password
          </label>
        </fieldset>
        {method === 'key' ? (
          <label className="wide">
            Identity file (path on the CarpDeck machine, as ssh -i)
            <input value={identity} onChange={(e) => setIdentity(e.target.value)} placeholder="~/.ssh/id_ed25519" autoComplete="off" spellCheck={false} />
          </label>
        ) : (
          <label className="wide">
            Password
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
          </label>
        )}
        <label className="remember">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          {persistent === false ? ' Remember the password or passphrase until CarpDeck stops (this backend keeps secrets in memory only)' : ' Remember the password or passphrase (encrypted on this computer)'}
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      </form>
      {problem && (
        <p className="form-errors" id={`${id}-problem`} role="alert">
          {problem}
        </p>
      )}
      <p className="hint">Leave the identity file empty to be asked for a password. Host keys are trusted on first use: you see the fingerprint before anything is sent.</p>
    </section>
  );
}
