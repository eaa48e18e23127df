// What the SSH layer asks the person at the other end (terminal or UI). The UI implements the same interface over
// its prompt stream; answers never travel back to the renderer once given.

export interface HostKeyQuestion {
  host: string;
  port: number;
  type: string;
  fingerprint: string;
}

export interface KeyboardPrompt {
  prompt: string;
  /** False for secrets (do not echo what is typed). */
  echo: boolean;
}

export interface KeyboardRound {
  name: string;
  instructions: string;
  prompts: KeyboardPrompt[];
}

export interface SshPrompter {
  /** A host key never seen before: true pins it and goes on, false refuses the connection. */
  confirmHostKey(question: HostKeyQuestion): Promise<boolean>;
  /** One keyboard-interactive round (servers may ask several, e.g. password then OTP); undefined gives up. */
  keyboardInteractive?(round: KeyboardRound): Promise<string[] | undefined>;
  /** The login password, asked only when no key or password was given and the server offers password login. */
  password?(label: string): Promise<string | undefined>;
}

/** For scripts: never asks; accepts first-seen keys only when told to (`--yes`), reporting each fingerprint. */
export function scriptPrompter(acceptNewKeys: boolean, report: (line: string) => void): SshPrompter {
  return {
    confirmHostKey: async (q) => {
      if (acceptNewKeys) report(`accepted new host key of ${q.host}${q.port === 22 ? '' : `:${q.port}`}: ${q.type} ${q.fingerprint}`);
      return acceptNewKeys;
    },
  };
}

/** Accepts a first-seen key only if it is one of `expected` (fingerprints the user got from the console). */
export function pinnedPrompter(expected: readonly string[], fallback: SshPrompter, report: (line: string) => void): SshPrompter {
  return {
    ...fallback,
    confirmHostKey: async (q) => {
      if (expected.includes(q.fingerprint)) {
        report(`host key of ${q.host} matches the given fingerprint: ${q.type} ${q.fingerprint}`);
        return true;
      }
      report(`host key of ${q.host} is ${q.type} ${q.fingerprint}, not the one given with --host-key (${expected.join(', ')})`);
      return false;
    },
  };
}
