// Runs the retransmission nudge once in the current network namespace and prints its result as JSON (used by the
// lab and the benchmark, which drive the state sync module from outside the firewall's namespace).
import { capNudgeIo } from './cap-io.js';
import { nudgeTcpFlows } from './nudge.js';

void nudgeTcpFlows(capNudgeIo).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
