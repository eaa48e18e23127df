// Runs the real `carpdeck analyze FILE --json` on a capture. The CLI entry is bundled privately (same esbuild
// settings as build/bundle.mjs) so the tests always exercise the current sources, not a stale dist/.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { AnalysisReport } from '../../../shared/analysis/types.js';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const ARTIFACTS = join(REPO, 'test/artifacts/interop');
const CLI_SOURCE = join(REPO, 'electron/cli/carpdeck.ts');
const CLI_BUNDLE = join(ARTIFACTS, 'carpdeck.cjs');

let bundled: Promise<void> | undefined;

function bundleCli(): Promise<void> {
  bundled ??= (async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await build({
      entryPoints: [CLI_SOURCE],
      outfile: CLI_BUNDLE,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['cap', 'electron', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
      logLevel: 'silent',
    });
  })();
  return bundled;
}

/** `carpdeck analyze FILE [ARGS...]`: its standard output; throws with the CLI's stderr when it exits non-zero. */
export async function analyseText(file: string, args: string[] = []): Promise<string> {
  await bundleCli();
  const r = spawnSync(process.execPath, [CLI_BUNDLE, 'analyze', file, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`carpdeck analyze ${file} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** `carpdeck analyze FILE --json [--secret S]...`, parsed. */
export async function analyse(file: string, secrets: string[] = []): Promise<AnalysisReport> {
  const stdout = await analyseText(file, ['--json', ...secrets.flatMap((s) => ['--secret', s])]);
  try {
    return JSON.parse(stdout) as AnalysisReport;
  } catch {
    throw new Error(`carpdeck analyze ${file} --json printed something that is not JSON: ${stdout.slice(0, 300)}`);
  }
}
