// The carpd bundle: the daemon and carpctl bundled into one file each (build/bundle.mjs), the Node runtime and the
// capture addon built for it. For a node of this host's architecture and libc (the lab) the runtime is this very
// node binary and the addon the repository's build of cap. Each file is named by its SHA-256 so an unchanged file
// is never sent twice.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DeployError } from './errors.js';

export interface Artifact {
  /** Path inside the version directory. */
  path: string;
  localPath: string;
  sha256: string;
  size: number;
  mode: number;
}

export interface Bundle {
  version: string;
  arch: string;
  /** The glibc the runtime was taken from (a node needs this or newer), undefined when not on glibc. */
  glibc?: string;
  artifacts: Artifact[];
}

export function sha256File(file: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('error', rej)
      .on('end', () => res(h.digest('hex')));
  });
}

/** The repository (or installed package) holding dist/daemon: $CARPDECK_ROOT, else up from the script or the cwd. */
export function findRoot(): string {
  const starts = [process.env.CARPDECK_ROOT, process.argv[1] && dirname(resolve(process.argv[1])), process.cwd()].filter((s): s is string => !!s);
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'dist', 'daemon', 'carpd.cjs')) && existsSync(join(dir, 'package.json'))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new DeployError('not-built', 'the carpd bundle (dist/daemon/carpd.cjs) is not built: run "npm run build" in the CarpDeck folder', 'dist/daemon');
}

const unameArch: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armv7l', ia32: 'i686' };

export async function localBundle(root = findRoot()): Promise<Bundle> {
  const cap = join(root, 'node_modules', 'cap');
  const files: [string, string, number][] = [
    ['carpd.cjs', join(root, 'dist', 'daemon', 'carpd.cjs'), 0o644],
    ['carpctl.cjs', join(root, 'dist', 'daemon', 'carpctl.cjs'), 0o644],
    ['node', process.execPath, 0o755],
    ['node_modules/cap/package.json', join(cap, 'package.json'), 0o644],
    ['node_modules/cap/lib/Cap.js', join(cap, 'lib', 'Cap.js'), 0o644],
    ['node_modules/cap/lib/Decoders.js', join(cap, 'lib', 'Decoders.js'), 0o644],
    ['node_modules/cap/build/Release/cap.node', join(cap, 'build', 'Release', 'cap.node'), 0o755],
  ];
  for (const [, local] of files) {
    if (!existsSync(local)) throw new DeployError('not-built', `${local} is missing: run "npm ci" (builds cap) and "npm run build" in ${root}`, local);
  }
  const artifacts = await Promise.all(files.map(async ([path, localPath, mode]) => ({ path, localPath, mode, size: statSync(localPath).size, sha256: await sha256File(localPath) })));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string };
  const id = createHash('sha256').update(artifacts.map((a) => `${a.path}:${a.sha256}:${a.mode}`).join('\n')).digest('hex').slice(0, 12);
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return { version: `${pkg.version ?? '0.0.0'}-${id}`, arch: unameArch[process.arch] ?? process.arch, glibc: header?.glibcVersionRuntime, artifacts };
}

/** True when glibc version `have` ("2.36") is at least `need`. */
export function glibcAtLeast(have: string, need: string): boolean {
  const [a, b] = [have, need].map((v) => v.split('.').map(Number));
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}
