// Runs a TypeScript lab benchmark: rebuilds the Node bundles (so the daemon measured is the one in the tree, not a
// stale dist/), bundles ENTRY with esbuild into dist/bench/NAME.mjs and calls its `main(argv)`. Needs root.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function runLabBench(name, entry) {
  if (spawnSync(process.execPath, [join(root, 'build', 'bundle.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0) {
    console.error(`bench:${name}: node build/bundle.mjs failed`);
    return 1;
  }
  const outfile = join(root, 'dist', 'bench', `${name}-lab.mjs`);
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  const { main } = await import(pathToFileURL(outfile).href);
  return main(process.argv.slice(2));
}
