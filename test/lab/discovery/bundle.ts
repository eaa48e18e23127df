// The CLI, capture helper and carpd bundles the beacon labs run, rebuilt from the sources under test.
import { build } from 'esbuild';
import { join } from 'node:path';
import { repoRoot } from '../harness/index.js';

export async function bundle(): Promise<void> {
  const entries = [
    { src: 'electron/cli/carpdeck.ts', out: 'dist/cli/carpdeck.cjs' },
    { src: 'electron/capture-helper/helper.ts', out: 'dist/capture-helper/helper.cjs' },
    { src: 'daemon/carpd.ts', out: 'dist/daemon/carpd.cjs' },
    { src: 'daemon/carpctl.ts', out: 'dist/daemon/carpctl.cjs' },
  ];
  await Promise.all(
    entries.map((e) =>
      build({ entryPoints: [join(repoRoot, e.src)], outfile: join(repoRoot, e.out), bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'linked', external: ['cap', 'electron', 'cpu-features', './crypto/build/Release/sshcrypto.node'], logLevel: 'warning' }),
    ),
  );
}
