// What the preflight needs of an SSH session (SshSession has it; unit tests pass a fake). Running a command as root
// (directly, or through `sudo -n`) is electron/core/ssh/privilege.ts, shared with deploy and the pairing apply.
import type { ExecResult, LineStream } from '../../ssh/session.js';

export interface PreflightSession {
  readonly label: string;
  readonly target: { user: string; host: string; port: number };
  exec(argv: readonly string[], input?: string): Promise<ExecResult>;
  lines(argv: readonly string[], onLine: (line: string) => void, opts?: { pty?: boolean; onStderr?: (text: string) => void }): Promise<LineStream>;
}

export { asRoot, type Privilege } from '../../ssh/privilege.js';

/** A fixed shell script (never built from input: values travel as positional arguments). */
export const shArgv = (script: string, ...args: string[]): string[] => ['sh', '-c', script, 'carpdeck-preflight', ...args];
