// `node bench/commission.mjs` (npm run bench:commission): in a throwaway lab (root, network namespaces), from two
// blank nodes to a verified, drilled pair with `carpdeck pair --yes --drill --link-loss`: the total time (target
// under 3 minutes) and where it went (preflight and plan, apply, verify, drill), and the drill's measured
// interruption per phase (target: a graceful maintenance handover under 1 s, the TCP flow surviving every phase).
// Reference, in the same lab: installing carpd with hand-written configs on both nodes (`carpdeck deploy`, no
// checks, no sync, no drill), which is what the wizard adds its checks, sync setup and drill to.
// Options: --no-link-loss (skip the cable cut), --keep-report DIR (keep the report's JSON and HTML there).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.getuid?.() !== 0) {
  console.error('bench:commission: needs root (it builds a lab in network namespaces)');
  process.exit(2);
}
if (!existsSync(join(root, 'dist', 'daemon', 'carpd.cjs'))) {
  console.error('bench:commission: dist/daemon/carpd.cjs is missing: run npm run build first');
  process.exit(2);
}
const linkLoss = !process.argv.includes('--no-link-loss');
const keepIndex = process.argv.indexOf('--keep-report');
const keepDir = keepIndex > 0 ? process.argv[keepIndex + 1] : undefined;
const scratch = mkdtempSync(join(tmpdir(), 'carpdeck-bench-commission-'));
const cli = join(scratch, 'carpdeck.cjs');
await build({ entryPoints: [join(root, 'electron', 'cli', 'carpdeck.ts')], outfile: cli, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['cap', 'electron', 'cpu-features', './crypto/build/Release/sshcrypto.node'], logLevel: 'warning' });
const env = { ...process.env, CARPDECK_ROOT: root, CARPDECK_KNOWN_HOSTS: join(scratch, 'known-hosts.json') };
const name = `bc${process.pid % 100000}`;
const seconds = (ms) => +(ms / 1000).toFixed(2);

function carpdeck(args, ok = [0]) {
  const r = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (!ok.includes(r.status)) throw new Error(`carpdeck ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r;
}

const figures = {};
let report;
try {
  const lab = JSON.parse(carpdeck(['lab', 'up', '--json', '--name', name]).stdout);
  const nodes = lab.nodes.map((n) => `${n.user}@${n.address}`);
  const key = lab.nodes[0].keyFile;

  const configs = lab.nodes.map((n, i) => {
    const file = join(scratch, `${n.name}.json`);
    const vhid = (vhid, ifname, vip) => ({ vhid, interface: ifname, advskew: i * 100, password: 'bench', vips: [vip] });
    writeFileSync(file, JSON.stringify({ node: n.name, vhids: [vhid(1, 'lan', '10.0.1.1/24'), vhid(2, 'wan', '198.51.100.1/24')] }));
    return file;
  });
  let t0 = performance.now();
  nodes.forEach((node, i) => carpdeck(['deploy', '--node', node, '-i', key, '--config', configs[i], '--yes', '--json']));
  figures.referenceHandDeploySeconds = seconds(performance.now() - t0);
  for (const node of nodes) carpdeck(['uninstall', '--node', node, '-i', key]);

  const reportBase = join(scratch, 'commissioning');
  t0 = performance.now();
  const pair = carpdeck(
    [
      'pair', '--primary', nodes[0], '--secondary', nodes[1], '-i', key, '--yes', '--json',
      '--drill', ...(linkLoss ? ['--link-loss'] : []),
      '--probe-netns', lab.client.namespace, '--probe-target', lab.server.address, '--flow-server-netns', lab.server.namespace,
      '--report', reportBase,
    ],
    [0, 1],
  );
  figures.totalSeconds = seconds(performance.now() - t0);
  figures.exitStatus = pair.status;
  if (!pair.stdout.trim()) throw new Error(`carpdeck pair printed no report:\n${pair.stderr}`);
  report = JSON.parse(pair.stdout);
  const steps = report.steps;
  const first = (pred) => steps.find(pred)?.time;
  const last = (pred) => [...steps].reverse().find(pred)?.time;
  const stageStart = first((s) => s.phase === 'stage');
  const activated = last((s) => s.phase === 'activate' && s.status !== 'running');
  const verified = last((s) => s.phase === 'verify' && s.status !== 'running');
  figures.breakdownSeconds = {
    preflightAndPlan: seconds(stageStart - report.preflight.time),
    apply: seconds(activated - stageStart),
    verify: seconds(verified - activated),
    drill: report.drill ? seconds(report.drill.finished - report.drill.started) : null,
  };
  figures.verified = report.verify?.ok ?? false;
  figures.drillOk = report.drill?.ok ?? false;
  figures.drill = Object.fromEntries((report.drill?.phases ?? []).map((p) => [p.name, { interruptionMs: p.interruptionMs, probesLost: p.probesLost, flowSurvived: p.flowSurvived, newMaster: p.newMaster }]));
  if (keepDir) {
    mkdirSync(keepDir, { recursive: true });
    for (const ext of ['json', 'html']) copyFileSync(`${reportBase}.${ext}`, join(keepDir, `commissioning.${ext}`));
  }
  figures.reportHtmlBytes = readFileSync(`${reportBase}.html`).length;
} catch (e) {
  figures.error = e instanceof Error ? e.message : String(e);
  console.error(`bench:commission: ${figures.error}`);
} finally {
  spawnSync(process.execPath, [cli, 'lab', 'down', '--name', name], { env, stdio: 'inherit' });
  rmSync(scratch, { recursive: true, force: true });
}

const graceful = figures.drill?.['maintenance-enter'];
if (figures.breakdownSeconds) {
  console.log(
    `two blank nodes to a verified, drilled pair in ${figures.totalSeconds} s (preflight+plan ${figures.breakdownSeconds.preflightAndPlan} s, apply ${figures.breakdownSeconds.apply} s, ` +
      `verify ${figures.breakdownSeconds.verify} s, drill ${figures.breakdownSeconds.drill} s); reference: hand-written configs deployed to both in ${figures.referenceHandDeploySeconds} s`,
  );
  for (const [phase, p] of Object.entries(figures.drill)) console.log(`  ${phase}: interruption ${p.interruptionMs} ms, ${p.probesLost} probes lost, TCP flow ${p.flowSurvived ? 'survived' : 'BROKE'}, VIPs to the ${p.newMaster}`);
}
const targets = { totalSecondsUnder: 180, gracefulInterruptionMsUnder: 1000, verified: true, drillOk: true, flowSurvivedEveryPhase: true };
const met =
  figures.error === undefined &&
  figures.totalSeconds < targets.totalSecondsUnder &&
  graceful !== undefined &&
  graceful.interruptionMs < targets.gracefulInterruptionMsUnder &&
  figures.verified &&
  figures.drillOk &&
  Object.values(figures.drill ?? {}).every((p) => p.flowSurvived);
console.log(JSON.stringify({ bench: 'commission', figures, targets, met }));
process.exitCode = met ? 0 : 1;
