// `npm run bench:state-sync`: the lab benchmark in test/lab/statesync/bench.ts (1,000 TCP flows through a carpd pair
// with conntrackd, beside no state sync and keepalived + conntrackd). Needs root.
// Options (after `--`): `--drill NAME` runs only that drill (repeatable), `--trace DIR` captures every TCP reset on
// every node and writes each drill's timeline (carpd events, nudges) into DIR.
import { runLabBench } from './lib/lab-bench.mjs';

process.exitCode = await runLabBench('state-sync', 'test/lab/statesync/bench.ts');
