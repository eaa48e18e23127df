import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface ExecResult {
  /** Exit status; null when the program could not start or was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ChildExit {
  code: number | null;
  signal: string | null;
}

export interface Child {
  readonly pid: number | undefined;
  readonly exited: Promise<ChildExit>;
  kill(signal: NodeJS.Signals): void;
  /** The last few KB of its output (for "why did it die"). */
  tail(): string;
}

/** Everything the state sync module does to the host; a lab replaces it to run commands inside a namespace. */
export interface HostDeps {
  exec(argv: readonly string[], timeoutMs: number): Promise<ExecResult>;
  spawn(argv: readonly string[], logFile: string): Child;
  /** Monotonic milliseconds. */
  now(): number;
}

const TAIL_BYTES = 4096;

export const realHost: HostDeps = {
  exec(argv, timeoutMs) {
    return new Promise((resolve) => {
      execFile(argv[0], argv.slice(1), { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr || (err && code === null ? err.message : '')).trim() });
      });
    });
  },

  spawn(argv, logFile) {
    const log = createWriteStream(logFile, { flags: 'a' });
    let tail = '';
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (b: Buffer) => {
      log.write(b);
      tail = (tail + b.toString()).slice(-TAIL_BYTES);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const exited = new Promise<ChildExit>((resolve) => {
      child.on('error', (e) => {
        tail += `\n${e.message}`;
        resolve({ code: null, signal: null });
      });
      child.on('exit', (code, signal) => resolve({ code, signal }));
    }).finally(() => log.end());
    return {
      pid: child.pid,
      exited,
      kill: (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
      tail: () => tail,
    };
  },

  now: () => performance.now(),
};
