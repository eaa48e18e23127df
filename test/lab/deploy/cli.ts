// Runs the carpdeck CLI, bundled once from source into a scratch "install" that also holds a snapshot of the
// daemon bundle (so a teammate rebuilding dist/ mid-run does not change what the deploy tests upload).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

export const repo = resolve(import.meta.dirname, '../../..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Cli {
  root: string;
  knownHosts: string;
  run(args: string[], env?: Record<string, string>): Promise<CliRun>;
  spawn(args: string[]): ReturnType<typeof spawn>;
}

export async function prepareCli(): Promise<Cli> {
  const root = mkdtempSync(join(tmpdir(), 'carpdeck-deploytest-'));
  mkdirSync(join(root, 'dist', 'daemon'), { recursive: true });
  for (const f of ['carpd.cjs', 'carpctl.cjs']) {
    const built = join(repo, 'dist', 'daemon', f);
    if (existsSync(built)) copyFileSync(built, join(root, 'dist', 'daemon', f));
    else await bundle(join(repo, 'daemon', f.replace('.cjs', '.ts')), join(root, 'dist', 'daemon', f));
  }
  copyFileSync(join(repo, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  const cli = join(root, 'carpdeck.cjs');
  await bundle(join(repo, 'electron', 'cli', 'carpdeck.ts'), cli);
  const knownHosts = join(root, 'known-hosts.json');
  const env = (extra: Record<string, string> = {}) => ({ ...process.env, CARPDECK_ROOT: root, CARPDECK_KNOWN_HOSTS: knownHosts, ...extra });
  return {
    root,
    knownHosts,
    run: (args, extra) =>
      new Promise((res) => {
        const child = spawn(process.execPath, [cli, ...args], { env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('close', (code) => res({ code, stdout, stderr }));
      }),
    spawn: (args) => spawn(process.execPath, [cli, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] }),
  };
}

async function bundle(src: string, out: string): Promise<void> {
  await build({ entryPoints: [src], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['cap', 'electron', 'cpu-features', './crypto/build/Release/sshcrypto.node'], logLevel: 'error' });
}
