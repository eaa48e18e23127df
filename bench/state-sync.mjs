// `npm run bench:state-sync`: the lab benchmark in test/lab/statesync/bench.ts (1,000 TCP flows through a carpd pair
// with conntrackd, beside no state sync and keepalived + conntrackd). Needs root.
import { runLabBench } from './lib/lab-bench.mjs';

process.exitCode = await runLabBench('state-sync', 'test/lab/statesync/bench.ts');
