// `npm run bench:config-sync`: bundles the TypeScript lab bench (test/lab/configsync/bench.ts, which reuses the lab
// harness and carpd with config sync) with esbuild into dist/bench and runs it. Needs root (network namespaces).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'bench', 'config-sync-lab.mjs');
await build({
  entryPoints: [join(root, 'test', 'lab', 'configsync', 'bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2));
