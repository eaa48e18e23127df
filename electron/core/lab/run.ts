// Child processes for the lab: argv arrays only, never a shell string.
import { spawn } from 'node:child_process';
import { LabError } from './errors.js';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(argv: readonly string[], input = ''): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => reject(new LabError('tool-missing', `cannot run ${argv[0]}: ${err.message}`, argv[0])));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** Runs argv and throws a LabError carrying its stderr when it does not exit 0. */
export async function runOk(argv: readonly string[], input = ''): Promise<RunResult> {
  const r = await run(argv, input);
  if (r.code !== 0) throw new LabError('command-failed', `${argv.join(' ')} exited ${r.code}: ${(r.stderr || r.stdout).trim()}`, argv[0]);
  return r;
}
