#!/usr/bin/env node
// `npm run demo`: the practice lab (`carpdeck lab up`: two blank firewalls with sshd, a client and a server in
// network namespaces) and then the app (`npm start`) to pair, deploy and control them. The lab stays up after
// the app closes; `npx carpdeck lab down` removes it.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/** What the demo does on this machine: the commands in order, or why it cannot run. */
function demoPlan({ isRoot, platform, nodePath = process.execPath, appRoot = root }) {
  if (platform !== 'linux') return { error: 'the practice lab needs Linux network namespaces; run `npm start` for the app alone' };
  if (!isRoot) return { error: 'the practice lab needs root (it creates network namespaces); run `sudo npm run demo`, or `npm start` for the app alone' };
  return {
    steps: [
      { what: 'lab', command: nodePath, args: [path.join(appRoot, 'bin', 'carpdeck.cjs'), 'lab', 'up'] },
      { what: 'app', command: nodePath, args: [path.join(appRoot, 'bin', 'start.cjs')] },
    ],
  };
}

const NEXT = `
The lab is up. In the app: "Pair nodes" turns fw1 and fw2 into an HA pair (connect with the key file above),
"Cluster" controls them and shows failovers live, "Discovery" listens on a segment, "Diagnostics" opens captures.
From the command line: npx carpdeck pair --help. Remove the lab with: npx carpdeck lab down
`;

function main() {
  const plan = demoPlan({ isRoot: process.getuid?.() === 0, platform: process.platform });
  if (plan.error) {
    process.stderr.write(`npm run demo: ${plan.error}\n`);
    process.exit(1);
  }
  if (!fs.existsSync(path.join(root, 'dist', 'cli', 'carpdeck.cjs'))) {
    const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  const [lab, app] = plan.steps;
  const up = spawnSync(lab.command, lab.args, { cwd: root, stdio: 'inherit' });
  if (up.status !== 0) {
    process.stderr.write('npm run demo: the lab could not be built (see above); the app was not started.\n');
    process.exit(up.status ?? 1);
  }
  process.stdout.write(NEXT);
  const run = spawnSync(app.command, app.args, { cwd: root, stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

if (require.main === module) main();

module.exports = { demoPlan };
