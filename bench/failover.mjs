// `npm run bench:failover [-- --quick]`: the lab benchmark in bench/lib-lab/failover.ts (carpd and ucarp failover
// drills seen from a pinging client; carpd's CPU and memory with 16 vhids). Needs root.
import { runLabBench } from './lib/lab-bench.mjs';

process.exitCode = await runLabBench('failover', 'bench/lib-lab/failover.ts');
