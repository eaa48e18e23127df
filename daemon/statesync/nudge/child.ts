import type { HostDeps } from '../deps.js';
import type { NudgeResult } from './nudge.js';

/**
 * Runs the nudge in a child process (`argv` prints one NudgeResult JSON line): it opens and closes libpcap handles,
 * and a native fault there must not take carpd, which holds the VIPs, down with it.
 */
export async function nudgeInChild(host: HostDeps, argv: readonly string[]): Promise<NudgeResult> {
  const r = await host.exec(argv, 10_000);
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (r.code === 0 && line) {
    try {
      return JSON.parse(line) as NudgeResult;
    } catch {
      // reported below
    }
  }
  return { flows: 0, nudged: 0, errors: [`retransmission nudge failed (${r.code === null ? 'killed or timed out' : `exit ${r.code}`}): ${r.stderr.slice(-200) || r.stdout.slice(-200)}`] };
}
