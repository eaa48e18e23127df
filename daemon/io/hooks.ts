import { spawn } from 'node:child_process';

/** Runs a transition hook (argv, never a shell) with CARP_VHID, CARP_INTERFACE, CARP_STATE and CARP_CAUSE set. */
export function runHook(argv: string[], env: Record<string, string>, onError: (message: string) => void): void {
  try {
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: 'ignore' });
    child.on('error', (e) => onError(`hook ${argv[0]} failed to start: ${e.message}`));
    child.on('exit', (code, signal) => {
      if (code !== 0) onError(`hook ${argv.join(' ')} exited with ${signal ?? `status ${code}`}`);
    });
  } catch (e) {
    onError(`hook ${argv[0]} failed to start: ${(e as Error).message}`);
  }
}
