// Bundles the Node entry points (CLI, carpd, carpctl, capture helper, Electron main/preload) with esbuild.
// Runs from `npm ci` (prepare) so `npx carpdeck`, `npx carpd` and `npx carpctl` work right after setup.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { entries } from './entries.mjs';

const missing = entries.filter((e) => !existsSync(e.src));
for (const e of missing) console.warn(`bundle: ${e.src} does not exist yet, skipped`);

await Promise.all(
  entries
    .filter((e) => existsSync(e.src))
    .map((e) =>
      build({
        entryPoints: [e.src],
        outfile: e.out,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        sourcemap: 'linked',
        banner: e.banner ? { js: e.banner } : undefined,
        external: ['cap', 'electron', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
        logLevel: 'warning',
      }),
    ),
);
