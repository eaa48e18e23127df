// The SSH layer's questions during a login: an unknown host key (trust on first use), the password, and
// keyboard-interactive rounds. Typed secrets live only in this dialog's inputs until they are sent.
import { useState, type FormEvent } from 'react';
import type { ClusterPrompt } from '../../../shared/api/cluster-contract.js';
import { Dialog } from './Dialog.js';
import type { PromptAnswer } from './source.js';

export const CONSOLE_CHECK = 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub';

/** The key type as OpenSSH names it in "ED25519 key fingerprint is SHA256:…". */
export function opensshKeyName(keyType: string): string {
  const names: Record<string, string> = { 'ssh-ed25519': 'ED25519', 'ssh-rsa': 'RSA', 'ssh-dss': 'DSA', 'sk-ssh-ed25519@openssh.com': 'ED25519-SK', 'sk-ecdsa-sha2-nistp256@openssh.com': 'ECDSA-SK' };
  return names[keyType] ?? (keyType.startsWith('ecdsa-sha2-') ? 'ECDSA' : keyType);
}

export function PromptDialog({ target, prompt, onAnswer }: { target: string; prompt: ClusterPrompt; onAnswer(a: PromptAnswer): void }) {
  if (prompt.type === 'host-key') return <HostKeyDialog prompt={prompt} onAnswer={onAnswer} />;
  return <SecretsDialog key={prompt.id} target={target} prompt={prompt} onAnswer={onAnswer} />;
}

function HostKeyDialog({ prompt, onAnswer }: { prompt: Extract<ClusterPrompt, { type: 'host-key' }>; onAnswer(a: PromptAnswer): void }) {
  const where = prompt.port === 22 ? prompt.host : `${prompt.host}:${prompt.port}`;
  const refuse = () => onAnswer({ id: prompt.id, accept: false });
  return (
    <Dialog title={`Unknown host key for ${where}`} onCancel={refuse}>
      <p>CarpDeck has not connected to {where} before, so it cannot tell yet whether this key belongs to your firewall or to something in between.</p>
      <p className="host-key">
        {opensshKeyName(prompt.keyType)} key fingerprint is <code data-testid="host-key-fingerprint">{prompt.fingerprint}</code>
      </p>
      <p>
        Compare it with what the firewall's console prints for <code>{CONSOLE_CHECK}</code>. If you trust it, CarpDeck remembers this key and checks it on every later
        connection: a different key is then refused (trust on first use).
      </p>
      <div className="cluster-dialog-actions">
        <button type="button" className="button" onClick={refuse} data-autofocus>
          Refuse
        </button>
        <button type="button" className="button primary" onClick={() => onAnswer({ id: prompt.id, accept: true })}>
          Trust this key and connect
        </button>
      </div>
    </Dialog>
  );
}

function SecretsDialog({ target, prompt, onAnswer }: { target: string; prompt: Exclude<ClusterPrompt, { type: 'host-key' }>; onAnswer(a: PromptAnswer): void }) {
  const fields = prompt.type === 'password' ? [{ prompt: prompt.label || 'Password', echo: false }] : prompt.prompts;
  const [values, setValues] = useState<string[]>(() => fields.map(() => ''));
  const send = (e: FormEvent) => {
    e.preventDefault();
    const answers = values;
    setValues(fields.map(() => ''));
    onAnswer({ id: prompt.id, answers });
  };
  const cancel = () => onAnswer({ id: prompt.id });
  const title = prompt.type === 'password' ? `Log in to ${target}` : prompt.name || `${target} asks`;
  return (
    <Dialog title={title} onCancel={cancel}>
      <form onSubmit={send} className="prompt-form">
        {prompt.type === 'keyboard' && prompt.instructions && <p className="prompt-instructions">{prompt.instructions}</p>}
        {fields.map((f, i) => (
          <label key={i}>
            {f.prompt.replace(/:\s*$/, '')}
            <input
              type={f.echo ? 'text' : 'password'}
              autoComplete="off"
              spellCheck={false}
              value={values[i]}
              onChange={(e) => setValues(values.map((v, j) => (j === i ? e.target.value : v)))}
            />
          </label>
        ))}
        <div className="cluster-dialog-actions">
          <button type="button" className="button" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" className="button primary">
            {prompt.type === 'password' ? 'Log in' : 'Send'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
