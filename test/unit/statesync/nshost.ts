import { spawnSync } from 'node:child_process';
import { realHost, type HostDeps } from '../../../daemon/statesync/deps.js';

/** The real host, with every command run inside network namespace `ns` (how a lab runs one node's state sync). */
export function nsHost(ns: string): HostDeps {
  const prefix = ['ip', 'netns', 'exec', ns];
  return {
    exec: (argv, timeoutMs) => realHost.exec([...prefix, ...argv], timeoutMs),
    spawn: (argv, logFile) => realHost.spawn([...prefix, ...argv], logFile),
    now: realHost.now,
  };
}

/** Why a test needing root, network namespaces and conntrackd cannot run here, or null. */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root for network namespaces';
  if (spawnSync('ip', ['netns', 'list']).status !== 0) return 'ip netns is unavailable';
  if (spawnSync('sh', ['-c', 'command -v conntrackd']).status !== 0) return 'conntrackd is not installed';
  return null;
}

export function sh(argv: string[]): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Polls `check` every 50 ms until it returns true, at most `tries` times. */
export async function until(what: string, check: () => boolean | Promise<boolean>, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
