// SSH questions relayed to the person at the screen: each becomes a prompt on the `connect` stream and waits for
// `cluster.answer` with its id. SshPrompter over that relay is what the SSH layer calls. A changed host key never
// gets here (the SSH layer refuses it before asking).
import { randomUUID } from 'node:crypto';
import type { ClusterPrompt } from '../../../shared/api/cluster-contract.js';
import type { SshPrompter } from '../ssh/prompter.js';

export interface PromptAnswer {
  accept?: boolean;
  answers?: string[];
}

type NewPrompt = ClusterPrompt extends infer P ? (P extends ClusterPrompt ? Omit<P, 'id'> : never) : never;

export class PromptRelay {
  private readonly pending = new Map<string, { owner: string; resolve: (a: PromptAnswer | undefined) => void }>();

  /** Shows `prompt` through `show` and waits for its answer; undefined when cancelled. */
  ask(owner: string, prompt: NewPrompt, show: (p: ClusterPrompt) => void): Promise<PromptAnswer | undefined> {
    const id = randomUUID();
    return new Promise((resolve) => {
      this.pending.set(id, { owner, resolve });
      show({ ...prompt, id } as ClusterPrompt);
    });
  }

  /** False when no prompt with that id is waiting (answered already, cancelled, or never asked). */
  answer(id: string, answer: PromptAnswer): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    p.resolve(answer);
    return true;
  }

  /** Cancels every open prompt of `owner` (its connect stream went away). */
  cancel(owner: string): void {
    for (const [id, p] of this.pending) {
      if (p.owner !== owner) continue;
      this.pending.delete(id);
      p.resolve(undefined);
    }
  }

  get size(): number {
    return this.pending.size;
  }
}

export interface UiPrompterOptions {
  relay: PromptRelay;
  owner: string;
  show: (p: ClusterPrompt) => void;
  /** A saved password, answered once to a lone secret keyboard-interactive prompt before the person is asked. */
  savedPassword?: string;
  /** Called with a password the person typed (to save it when they asked to remember it). */
  typedPassword?: (password: string) => void;
}

const looksLikePassword = (round: { prompts: { prompt: string; echo: boolean }[] }) => round.prompts.length === 1 && !round.prompts[0].echo && /pass(word|code)?/i.test(round.prompts[0].prompt);

export function uiPrompter(o: UiPrompterOptions): SshPrompter {
  let saved = o.savedPassword;
  return {
    confirmHostKey: async (q) => {
      const a = await o.relay.ask(o.owner, { type: 'host-key', host: q.host, port: q.port, keyType: q.type, fingerprint: q.fingerprint }, o.show);
      return a?.accept === true;
    },
    password: async (label) => {
      const a = await o.relay.ask(o.owner, { type: 'password', label: `${label}'s password` }, o.show);
      const password = a?.answers?.[0];
      if (password !== undefined) o.typedPassword?.(password);
      return password;
    },
    keyboardInteractive: async (round) => {
      if (saved !== undefined && looksLikePassword(round)) {
        const answer = saved;
        saved = undefined;
        return [answer];
      }
      const a = await o.relay.ask(o.owner, { type: 'keyboard', name: round.name, instructions: round.instructions, prompts: round.prompts }, o.show);
      if (a?.answers && looksLikePassword(round) && a.answers[0] !== undefined) o.typedPassword?.(a.answers[0]);
      return a?.answers;
    },
  };
}
