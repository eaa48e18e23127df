#!/usr/bin/env node
// `npm start`: the CarpDeck app in Electron where its binary is installed, otherwise the same UI in Chromium
// through `carpdeck serve --open`. Builds first when dist/ is missing. Never require('electron') here: under
// plain Node that tries to download the binary.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

const NOT_INSTALLED =
  "Electron's binary is not installed on this machine (Electron 42+ downloads it on first launch and this machine cannot reach the download server)";

/** Where the Electron executable is, or why there is none. Takes its surroundings as arguments for testing. */
function findElectron({ env, exists, readFile, resolvePackage }) {
  if (env.ELECTRON_EXEC) {
    return exists(env.ELECTRON_EXEC) ? { path: env.ELECTRON_EXEC } : { missing: `ELECTRON_EXEC points at ${env.ELECTRON_EXEC}, which does not exist` };
  }
  let pkgDir;
  try {
    pkgDir = path.dirname(resolvePackage('electron/package.json'));
  } catch {
    return { missing: 'the electron npm package is not installed (run npm ci)' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!exists(pathFile)) return { missing: NOT_INSTALLED };
  const binary = path.join(pkgDir, 'dist', readFile(pathFile).trim());
  return exists(binary) ? { path: binary } : { missing: NOT_INSTALLED };
}

/** Electron, or the browser fallback with the sentence that says why. */
function chooseLaunch({ env, isRoot, exists, readFile, resolvePackage, nodePath = process.execPath, appRoot = root }) {
  const serve = { command: nodePath, args: [path.join(appRoot, 'bin', 'carpdeck.cjs'), 'serve', '--open'] };
  const electron = findElectron({ env, exists, readFile, resolvePackage });
  if (electron.missing) {
    return { mode: 'browser', ...serve, message: `${electron.missing}; opening the same UI in Chromium through \`carpdeck serve\` instead.` };
  }
  if (isRoot) {
    return {
      mode: 'browser',
      ...serve,
      message: 'Electron does not run as root without switching off its sandbox, which CarpDeck never does; opening the same UI in Chromium through `carpdeck serve` instead.',
    };
  }
  return { mode: 'electron', command: electron.path, args: [appRoot] };
}

/** The dist/ files the chosen mode needs and that are missing (then `npm run build` runs first). */
function missingBuild(mode, exists, appRoot = root) {
  const needed = ['dist/renderer/index.html', ...(mode === 'electron' ? ['dist/electron/main.cjs', 'dist/electron/preload.cjs'] : ['dist/cli/carpdeck.cjs'])];
  return needed.filter((rel) => !exists(path.join(appRoot, rel)));
}

function main() {
  const plan = chooseLaunch({
    env: process.env,
    isRoot: process.getuid?.() === 0,
    exists: fs.existsSync,
    readFile: (f) => fs.readFileSync(f, 'utf8'),
    resolvePackage: (id) => require.resolve(id, { paths: [root] }),
  });
  if (plan.message) process.stdout.write(plan.message + '\n');
  const missing = missingBuild(plan.mode, fs.existsSync);
  if (missing.length) {
    process.stdout.write(`Building first (${missing.join(', ')} missing): npm run build\n`);
    const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) {
      process.stderr.write('npm start: the build failed (see above); fix it and run npm start again.\n');
      process.exit(built.status ?? 1);
    }
  }
  const child = spawn(plan.command, plan.args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`npm start: could not run ${plan.command}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (require.main === module) main();

module.exports = { findElectron, chooseLaunch, missingBuild, NOT_INSTALLED };
