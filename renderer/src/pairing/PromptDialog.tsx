// What the SSH layer asks while connecting a firewall: trust a first-seen host key, a password, or
// keyboard-interactive questions. Nothing is answered without the person at the screen.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { ClusterPrompt } from '../../../shared/api/cluster-contract.js';

export interface PromptAnswer {
  accept?: boolean;
  answers?: string[];
}

export function PromptDialog({ prompt, target, onAnswer }: { prompt: ClusterPrompt; target: string; onAnswer(answer: PromptAnswer): void }) {
  const title = useId();
  if (prompt.type === 'host-key') {
    return (
      <Backdrop>
        <div className="pair-dialog" role="dialog" aria-modal="true" aria-labelledby={title}>
          <h2 id={title}>Trust this firewall&apos;s host key?</h2>
          <p>
            {prompt.host}:{prompt.port} is not known yet. Its {prompt.keyType} host key has the fingerprint:
          </p>
          <p className="fingerprint" aria-label="Host key fingerprint">
            {prompt.fingerprint}
          </p>
          <p className="hint">Compare it with what the firewall shows (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on its console). Accept only if they match.</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => onAnswer({ accept: false })}>
              Refuse
            </button>
            <button type="button" className="button primary" onClick={() => onAnswer({ accept: true })}>
              Accept and connect
            </button>
          </div>
        </div>
      </Backdrop>
    );
  }
  const questions = prompt.type === 'password' ? [{ prompt: prompt.label, echo: false }] : prompt.prompts;
  const note = prompt.type === 'keyboard' ? [prompt.name, prompt.instructions].filter(Boolean).join(': ') : '';
  return <AnswerForm key={prompt.id} titleId={title} target={target} note={note} questions={questions} onAnswer={onAnswer} />;
}

function Backdrop({ children }: { children: ReactNode }) {
  return <div className="pair-backdrop">{children}</div>;
}

function AnswerForm({ titleId, target, note, questions, onAnswer }: { titleId: string; target: string; note: string; questions: { prompt: string; echo: boolean }[]; onAnswer(a: PromptAnswer): void }) {
  const [answers, setAnswers] = useState(() => questions.map(() => ''));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onAnswer({ answers });
  };
  return (
    <Backdrop>
      <form className="pair-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} onSubmit={submit}>
        <h2 id={titleId}>Log in to {target}</h2>
        {note && <p>{note}</p>}
        {questions.map((q, i) => (
          <label key={i} className="pair-field">
            <span>{q.prompt.trim().replace(/:$/, '') || `Answer for ${target}`}</span>
            <input
              type={q.echo ? 'text' : 'password'}
              autoComplete="off"
              autoFocus={i === 0}
              value={answers[i]}
              onChange={(e) => setAnswers(answers.map((a, j) => (j === i ? e.target.value : a)))}
            />
          </label>
        ))}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => onAnswer({})}>
            Cancel
          </button>
          <button type="submit" className="button primary">
            Log in
          </button>
        </div>
      </form>
    </Backdrop>
  );
}
