// `npm run bench:failover [-- --quick]`: bundles the TypeScript lab bench (bench/lib-lab, which reuses the lab
// harness in test/lab/harness) with esbuild into dist/bench and runs it. Needs root (network namespaces).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// measure the daemon as it is in the tree, not a stale bundle
if (spawnSync(process.execPath, [join(root, 'build', 'bundle.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0) {
  console.error('bench:failover: node build/bundle.mjs failed');
  process.exit(1);
}
const outfile = join(root, 'dist', 'bench', 'failover-lab.mjs');
await build({
  entryPoints: [join(root, 'bench', 'lib-lab', 'failover.ts')],
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
