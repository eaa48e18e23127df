import { capNudgeIo } from './cap-io.js';
import { nudgeTcpFlows } from './nudge.js';

/** Runs the nudge once in this process and prints its result as one JSON line (the child side of nudgeInChild). */
export async function printNudge(): Promise<void> {
  const r = await nudgeTcpFlows(capNudgeIo);
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
