// `npm run bench:config-sync`: the lab benchmark in test/lab/configsync/bench.ts (two carpd nodes with config sync in
// network and mount namespaces). Needs root.
import { runLabBench } from './lib/lab-bench.mjs';

process.exitCode = await runLabBench('config-sync', 'test/lab/configsync/bench.ts');
