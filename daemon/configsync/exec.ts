import { execFile } from 'node:child_process';

export interface ExecResult {
  /** Exit status; null when the program could not start or was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an argv without a shell. */
export type Exec = (argv: readonly string[], timeoutMs: number) => Promise<ExecResult>;

export const realExec: Exec = (argv, timeoutMs) =>
  new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (err && code === null ? err.message : '')).trim() });
    });
  });

/** "nft -c -f /x exited 1: Error: ..." for error messages; output cut to its last 1000 characters. */
export function describeFailure(argv: readonly string[], r: ExecResult): string {
  const out = (r.stderr || r.stdout).trim();
  const tail = out.length > 1000 ? `…${out.slice(-1000)}` : out;
  return `${argv.join(' ')} ${r.code === null ? 'could not run or timed out' : `exited ${r.code}`}${tail ? `: ${tail}` : ''}`;
}
