// Builds the standalone capture helper: a Node single-executable application (node --experimental-sea-config,
// then postject) whose only script is the bundled helper, with the binding's install path baked in.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The fuse Node looks for to know it carries an embedded script. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface AssembleOptions {
  /** The bundled helper (dist/capture-helper/helper.cjs). */
  script: string;
  /** Where the libpcap binding will be installed (baked into the executable). */
  capNodeTarget: string;
  /** The Node binary to copy (the embedded script runs on it, so it must match the binding's ABI). */
  node: string;
  /** postject's CLI script. */
  postject: string;
  /** A private, empty working directory. */
  work: string;
}

/** Returns the built executable's path, or why it could not be built. */
export function assembleHelper(o: AssembleOptions): { file: string } | { error: string } {
  const main = path.join(o.work, 'helper-main.cjs');
  const blob = path.join(o.work, 'helper.blob');
  const config = path.join(o.work, 'sea-config.json');
  const file = path.join(o.work, 'carpdeck-capture');
  writeFileSync(main, `globalThis.CARPDECK_CAP_NODE = ${JSON.stringify(o.capNodeTarget)};\n${readFileSync(o.script, 'utf8')}`);
  writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true }));
  const prep = spawnSync(o.node, ['--experimental-sea-config', config], { encoding: 'utf8', cwd: o.work });
  if (prep.status !== 0) return { error: `${o.node} could not prepare the single-executable blob (Node 20.12 or later is needed): ${(prep.stderr || prep.stdout).trim()}` };
  copyFileSync(o.node, file);
  const inject = spawnSync(o.node, [o.postject, file, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], { encoding: 'utf8', cwd: o.work });
  if (inject.status !== 0) return { error: `postject could not embed the helper into a copy of ${o.node}: ${(inject.stderr || inject.stdout).trim().split('\n').slice(-3).join(' ')}` };
  return { file };
}
