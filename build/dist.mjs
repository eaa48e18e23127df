// `npm run dist` (opt-in): packages the Electron app (deb + AppImage) with electron-builder.
// electron-builder needs an Electron build for Linux: an unpacked one (ELECTRON_DIST, or node_modules/electron
// after Electron's own first-run download) or its zip in Electron's download cache. Machines that cannot reach
// Electron's download server have neither; then this says so and fails, since nothing could be packaged.
// CARPDECK_E2E_BUILD=1 keeps the EnableNodeCliInspectArguments fuse on, which Playwright's _electron needs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronPkgDir = path.join(root, 'node_modules', 'electron');
const electronVersion = JSON.parse(readFileSync(path.join(electronPkgDir, 'package.json'), 'utf8')).version;
const arch = process.arch;

/** An unpacked Electron directory to package from, a cached zip, or undefined. */
function findElectron(env) {
  if (env.ELECTRON_DIST) {
    if (!existsSync(path.join(env.ELECTRON_DIST, 'electron'))) fail(`ELECTRON_DIST=${env.ELECTRON_DIST} has no "electron" executable in it.`);
    return { electronDist: env.ELECTRON_DIST };
  }
  const pathTxt = path.join(electronPkgDir, 'path.txt');
  if (existsSync(pathTxt) && existsSync(path.join(electronPkgDir, 'dist', readFileSync(pathTxt, 'utf8').trim()))) {
    return { electronDist: path.join(electronPkgDir, 'dist') };
  }
  const zip = `electron-v${electronVersion}-linux-${arch}.zip`;
  const cache = env.electron_config_cache ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'electron');
  const dirs = existsSync(cache) ? [cache, ...readdirSync(cache, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(cache, d.name))] : [];
  const found = dirs.map((d) => path.join(d, zip)).find((f) => existsSync(f));
  return found ? { cachedZip: found } : undefined;
}

function fail(message) {
  process.stderr.write(`dist: ${message}\n`);
  process.exit(1);
}

const source = findElectron(process.env);
if (!source) {
  fail(
    `no Electron ${electronVersion} build for linux-${arch} on this machine, so there is nothing to package.\n` +
      `Electron 42+ downloads its binary on first launch, and this machine cannot reach the download server. On a\n` +
      `machine with network access run "npx electron --version" once (or put electron-v${electronVersion}-linux-${arch}.zip in\n` +
      `~/.cache/electron), or point ELECTRON_DIST at an unpacked Electron ${electronVersion}, then run "npm run dist" again.`,
  );
}

const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) fail('the build failed (see above).');

const config = JSON.parse(readFileSync(path.join(root, 'build', 'electron-builder.json'), 'utf8'));
delete config.$schema;
config.electronFuses.enableNodeCliInspectArguments = process.env.CARPDECK_E2E_BUILD === '1';
if (source.electronDist) config.electronDist = source.electronDist;

const { build, Platform } = await import('electron-builder');
try {
  const files = await build({ projectDir: root, config, targets: Platform.LINUX.createTarget(), publish: 'never' });
  process.stdout.write(`dist: built\n${files.map((f) => `  ${path.relative(root, f)}`).join('\n')}\n`);
} catch (err) {
  fail(`electron-builder failed: ${err instanceof Error ? err.message : String(err)}`);
}
