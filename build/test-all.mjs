// `npm test`: builds, type-checks, lints, then runs every vitest project and ends with `N passed, N failed`.
// The lab project needs root (network namespaces); the e2e project needs /usr/bin/chromium. Without them those
// tests are reported as skipped, with the reason, never silently dropped.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', ...opts }).status === 0;
let passed = 0;
let failed = 0;
let skipped = 0;
const step = (name, ok) => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok' : 'FAILED'}: ${name}`);
};

step('build', run('npm', ['run', '--silent', 'build']));
step('typecheck', run('npm', ['run', '--silent', 'typecheck']));
step('lint', run('npm', ['run', '--silent', 'lint']));

const projects = ['unit', 'renderer'];
if (process.getuid?.() === 0) projects.push('lab');
else console.log('skipping the lab tests: they need root for network namespaces');
if (existsSync('/usr/bin/chromium')) projects.push('e2e');
else console.log('skipping the e2e tests: /usr/bin/chromium is not installed (apt-get install chromium)');

const out = '.vitest-results.json';
rmSync(out, { force: true });
const extra = process.argv.slice(2);
run('npx', ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile=${out}`, ...extra]);
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  for (const f of r.testResults ?? []) if (f.status === 'failed' && f.assertionResults?.length === 0) failed++;
} else {
  failed++;
  console.log('FAILED: vitest wrote no results');
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
