// What the preflight needs of an SSH session (SshSession has it; unit tests pass a fake), and running a command as
// root: directly when the login is root, through `sudo -n` otherwise (never prompting: a password prompt over a
// non-interactive channel would hang).
import type { ExecResult, LineStream } from '../../ssh/session.js';

export interface PreflightSession {
  readonly label: string;
  readonly target: { user: string; host: string; port: number };
  exec(argv: readonly string[], input?: string): Promise<ExecResult>;
  lines(argv: readonly string[], onLine: (line: string) => void, opts?: { pty?: boolean; onStderr?: (text: string) => void }): Promise<LineStream>;
}

export type Privilege = 'root' | 'sudo' | 'none';

export function asRoot(privilege: Privilege, argv: readonly string[]): string[] {
  return privilege === 'sudo' ? ['sudo', '-n', '--', ...argv] : [...argv];
}

/** A fixed shell script (never built from input: values travel as positional arguments). */
export const shArgv = (script: string, ...args: string[]): string[] => ['sh', '-c', script, 'carpdeck-preflight', ...args];
