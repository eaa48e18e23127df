// `node bench/deploy.mjs` (npm run bench:deploy): in a throwaway lab (root, network namespaces), the first and the
// repeat deploy to two nodes (time, bytes uploaded; target: the runtime is not sent again) and the event latency
// from a state change on a node to the merged timeline of `carpdeck events --follow` (target p95 < 200 ms).
// The nodes share this host's clock, so latency = arrival here - the event's own timestamp.
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.getuid?.() !== 0) {
  console.error('bench:deploy: needs root (it builds a lab in network namespaces)');
  process.exit(2);
}
if (!existsSync(join(root, 'dist', 'daemon', 'carpd.cjs'))) {
  console.error('bench:deploy: dist/daemon/carpd.cjs is missing: run npm run build first');
  process.exit(2);
}
const failovers = Number(process.argv.find((a) => a.startsWith('--failovers='))?.split('=')[1] ?? 10);
const scratch = mkdtempSync(join(tmpdir(), 'carpdeck-bench-deploy-'));
const cli = join(scratch, 'carpdeck.cjs');
await build({ entryPoints: [join(root, 'electron', 'cli', 'carpdeck.ts')], outfile: cli, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['cap', 'electron', 'cpu-features', './crypto/build/Release/sshcrypto.node'], logLevel: 'warning' });
const env = { ...process.env, CARPDECK_ROOT: root, CARPDECK_KNOWN_HOSTS: join(scratch, 'known-hosts.json') };
const name = `bd${process.pid % 100000}`;

function carpdeck(args) {
  const r = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`carpdeck ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

const results = {};
try {
  const lab = JSON.parse(carpdeck(['lab', 'up', '--json', '--name', name]));
  const nodes = lab.nodes.map((n) => `${n.user}@${n.address}`);
  const key = lab.nodes[0].keyFile;
  const configs = lab.nodes.map((n, i) => {
    const file = join(scratch, `${n.name}.json`);
    writeFileSync(file, JSON.stringify({ node: n.name, syslog: false, vhids: [{ vhid: 1, interface: 'lan', advskew: i * 100, password: 'bench', vips: ['10.0.1.1/24'] }] }));
    return file;
  });
  const deployAll = () => {
    const t0 = performance.now();
    const per = nodes.map((node, i) => JSON.parse(carpdeck(['deploy', '--node', node, '-i', key, '--config', configs[i], '--yes', '--json'])));
    return { seconds: +((performance.now() - t0) / 1000).toFixed(2), bytesUploaded: per.reduce((n, r) => n + r.uploadedBytes, 0), filesUploaded: per.flatMap((r) => r.uploadedFiles.map((f) => `${r.node}:${f}`)) };
  };
  results.firstDeploy = deployAll();
  results.repeatDeploy = deployAll();
  results.repeatDeploy.runtimeSentAgain = results.repeatDeploy.filesUploaded.some((f) => f.endsWith(':node'));

  const follow = spawn(process.execPath, [cli, 'events', '--follow', '--json', ...nodes.flatMap((n) => ['--node', n]), '-i', key], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const latencies = [];
  let carry = '';
  let armed = false;
  follow.stdout.setEncoding('utf8').on('data', (d) => {
    const now = Date.now();
    const parts = (carry + d).split('\n');
    carry = parts.pop();
    for (const line of parts.filter(Boolean)) {
      const e = JSON.parse(line);
      if (armed && e.kind === 'state') latencies.push(now - Date.parse(e.time));
    }
  });
  await sleep(2000);
  armed = true;
  for (let i = 0; i < failovers; i++) {
    carpdeck(['maintenance', i % 2 === 0 ? 'on' : 'off', '--node', nodes[0], '-i', key]);
    await sleep(2500);
  }
  if (failovers % 2 === 1) carpdeck(['maintenance', 'off', '--node', nodes[0], '-i', key]);
  follow.kill('SIGTERM');
  results.eventLatencyMs = { events: latencies.length, p50: pct(latencies, 50), p95: pct(latencies, 95), max: Math.max(...latencies), targetP95: 200 };
  for (const node of nodes) carpdeck(['uninstall', '--node', node, '-i', key]);
} finally {
  spawnSync(process.execPath, [cli, 'lab', 'down', '--name', name], { env, stdio: 'inherit' });
  rmSync(scratch, { recursive: true, force: true });
}
console.log(
  `first deploy ${results.firstDeploy.seconds} s, ${(results.firstDeploy.bytesUploaded / 1048576).toFixed(1)} MiB; ` +
    `repeat ${results.repeatDeploy.seconds} s, ${results.repeatDeploy.bytesUploaded} bytes (runtime sent again: ${results.repeatDeploy.runtimeSentAgain}); ` +
    `event latency p50 ${results.eventLatencyMs.p50} ms, p95 ${results.eventLatencyMs.p95} ms over ${results.eventLatencyMs.events} events`,
);
const targets = { repeatDeployRuntimeSentAgain: false, eventLatencyP95Ms: 200 };
const met = results.repeatDeploy.runtimeSentAgain === false && results.eventLatencyMs.p95 < targets.eventLatencyP95Ms;
console.log(JSON.stringify({ bench: 'deploy', figures: results, targets, met }));
process.exitCode = met ? 0 : 1;
