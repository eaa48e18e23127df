// The app for the discovery lab tests: the CLI and capture helper bundled from the current sources, a private
// copy of the whole app (so `carpdeck serve` runs inside a lab namespace without touching dist/), and Chromium
// started inside that namespace.
import { build } from 'esbuild';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot, type Lab, type LabNode } from '../harness/index.js';
import { buildRenderer } from '../../support/renderer-build.js';

/** Bundles the CLI and the capture helper (and carpd/carpctl with `daemon`) from the current sources, as build/bundle.mjs does, under `dir`. */
export async function bundle(dir = join(repoRoot, 'dist'), opts: { daemon?: boolean } = {}): Promise<void> {
  const entries = [
    { src: 'electron/cli/carpdeck.ts', out: 'cli/carpdeck.cjs' },
    { src: 'electron/capture-helper/helper.ts', out: 'capture-helper/helper.cjs' },
    ...(opts.daemon
      ? [
          { src: 'daemon/carpd.ts', out: 'daemon/carpd.cjs' },
          { src: 'daemon/carpctl.ts', out: 'daemon/carpctl.cjs' },
        ]
      : []),
  ];
  await Promise.all(
    entries.map((e) =>
      build({ entryPoints: [join(repoRoot, e.src)], outfile: join(dir, e.out), bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'linked', external: ['cap', 'electron', 'cpu-features', './crypto/build/Release/sshcrypto.node'], logLevel: 'warning' }),
    ),
  );
}

/** A private copy of the app (CLI, helper, renderer build) in `dir`; serve finds the renderer next to its bundle. */
export async function buildApp(dir: string): Promise<void> {
  await bundle(dir);
  await buildRenderer(join(dir, 'renderer'));
}

/** Chromium (headless) running inside `node`'s network namespace, so the page reaches a serve started there. */
export async function chromiumIn(lab: Lab, node: LabNode): Promise<Browser> {
  const wrapper = join(lab.dir, `chromium-in-${node.name}.sh`);
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${node.netns} /usr/bin/chromium "$@"\n`);
  chmodSync(wrapper, 0o755);
  return chromium.launch({ executablePath: wrapper, headless: true, args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'] });
}
