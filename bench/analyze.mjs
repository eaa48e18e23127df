// `npm run bench:analyze`: carpdeck analyze --json against TShark on the same synthesized 1,000,000-packet pcap.
// Prints packets/s and peak memory of each, the ratio, and ends with one line of JSON.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './lib/measure.mjs';
import { synthesize } from './lib/synth.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKETS = Number(process.env.BENCH_PACKETS ?? 1_000_000);
/** Share of CARP/VRRP advertisements among all packets (a busy segment has far fewer; this keeps 100k rows). */
const HA_SHARE = 0.1;
const RUNS = 3;
const targets = { speedupVsTshark: 10, peakMemoryMB: 300 };

const FIELDS = [
  'frame.number', 'frame.time_epoch', 'ip.src', 'ipv6.src', 'eth.src', 'ip.ttl', 'ipv6.hlim',
  'carp.vhid', 'carp.advskew', 'carp.adver_int', 'carp.demotion', 'carp.counter', 'carp.checksum.status',
  'vrrp.virt_rtr_id', 'vrrp.prio', 'vrrp.adver_int', 'vrrp.short_adver_int', 'vrrp.ip_addr', 'vrrp.ipv6_addr', 'vrrp.checksum.status',
].flatMap((f) => ['-e', f]);

const mb = (x) => Math.round(x * 10) / 10;
const round2 = (x) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 100) / 100);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function fail(message) {
  console.error(`bench:analyze: ${message}`);
  console.log(JSON.stringify({ bench: 'analyze', figures: { error: message }, targets, met: false }));
  process.exit(1);
}

const dir = mkdtempSync(path.join(tmpdir(), 'carpdeck-bench-'));
try {
  const file = path.join(dir, 'bench.pcap');
  const t0 = Date.now();
  const made = synthesize(file, PACKETS, HA_SHARE);
  console.log(`synthesized ${made.packets} packets (${made.adverts} CARP/VRRP advertisements in 8 groups, TCP/UDP/ARP for the rest), ${mb(made.bytes / 1048576)} MB, in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${file}`);

  const bundle = spawnSync(process.execPath, ['build/bundle.mjs'], { cwd: root, encoding: 'utf8' });
  if (bundle.status !== 0) fail(`building the CLI failed: ${bundle.stderr}`);
  const cli = [path.join(root, 'bin', 'carpdeck.cjs'), 'analyze', '--json', file];

  // Correctness first (and a warm page cache for both tools): every advertisement must be in the output.
  const jsonFile = path.join(dir, 'out.json');
  const check = await measure(process.execPath, cli, { stdoutFile: jsonFile });
  if (check.code !== 0) fail(`carpdeck analyze exited with ${check.code}: ${check.stderr.trim()}`);
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  if (report.adverts.length !== made.adverts || report.capture.packets !== made.packets) {
    fail(`carpdeck reported ${report.adverts.length} advertisements in ${report.capture.packets} packets, expected ${made.adverts} in ${made.packets}`);
  }
  rmSync(jsonFile);

  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await measure(process.execPath, cli);
    if (r.code !== 0) fail(`carpdeck analyze exited with ${r.code}: ${r.stderr.trim()}`);
    runs.push(r);
    console.log(`carpdeck analyze --json, run ${i + 1}: ${r.wallS.toFixed(2)} s wall, ${r.cpuS?.toFixed(2)} s CPU, peak ${mb(r.peakMB)} MB`);
  }
  const ours = { wallS: median(runs.map((r) => r.wallS)), cpuS: median(runs.map((r) => r.cpuS ?? NaN)), peakMB: Math.max(...runs.map((r) => r.peakMB)) };

  // TShark two ways: forced CARP decoding (-d ip.proto==112,carp; VRRP is then not decoded at all) and CARP by
  // heuristic before the protocol table (decodes CARP and VRRP, i.e. the same fields as carpdeck). The faster
  // of the two is the reference.
  const variants = [
    { name: 'tshark -d ip.proto==112,carp', args: ['-d', 'ip.proto==112,carp'] },
    { name: 'tshark -o ip.try_heuristic_first:TRUE', args: ['-o', 'ip.try_heuristic_first:TRUE'] },
  ];
  const tsharkRuns = [];
  for (const v of variants) {
    const out = path.join(dir, 'tshark.txt');
    const r = await measure('tshark', ['-r', file, ...v.args, '-Y', 'carp || vrrp', '-T', 'fields', ...FIELDS], { stdoutFile: out });
    if (r.code !== 0) fail(`${v.name} exited with ${r.code}: ${r.stderr.trim().split('\n').pop()}`);
    const rows = readFileSync(out, 'utf8').split('\n').filter(Boolean).length;
    rmSync(out);
    tsharkRuns.push({ ...v, ...r, rows });
    console.log(`${v.name}: ${r.wallS.toFixed(2)} s wall, ${r.cpuS?.toFixed(2)} s CPU, peak ${mb(r.peakMB)} MB, ${rows} rows`);
  }
  const ts = tsharkRuns.reduce((a, b) => (b.wallS < a.wallS ? b : a));

  const pps = (s) => Math.round(made.packets / s);
  const speedup = ts.wallS / ours.wallS;
  const speedupCpu = ts.cpuS !== null && Number.isFinite(ours.cpuS) ? ts.cpuS / ours.cpuS : null;
  console.log('');
  console.log(`carpdeck analyze --json: ${pps(ours.wallS).toLocaleString('en')} packets/s (median of ${RUNS}), peak ${mb(ours.peakMB)} MB`);
  console.log(`${ts.name}: ${pps(ts.wallS).toLocaleString('en')} packets/s, peak ${mb(ts.peakMB)} MB`);
  console.log(`ratio: ${speedup.toFixed(1)}x by wall time${speedupCpu === null ? '' : `, ${speedupCpu.toFixed(1)}x by CPU time`} (target ${targets.speedupVsTshark}x); memory ${mb(ours.peakMB)} MB (target < ${targets.peakMemoryMB} MB)`);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const figures = {
    packets: made.packets,
    adverts: made.adverts,
    fileMB: mb(made.bytes / 1048576),
    carpdeck: { packetsPerSecond: pps(ours.wallS), wallSeconds: ours.wallS, cpuSeconds: round2(ours.cpuS), peakMemoryMB: mb(ours.peakMB) },
    tshark: { command: ts.name, packetsPerSecond: pps(ts.wallS), wallSeconds: ts.wallS, cpuSeconds: round2(ts.cpuS), peakMemoryMB: mb(ts.peakMB) },
    speedupVsTshark: Math.round(speedup * 10) / 10,
    speedupVsTsharkCpu: speedupCpu === null ? null : Math.round(speedupCpu * 10) / 10,
    peakMemoryMB: mb(ours.peakMB),
    loadAverage: load,
  };
  const met = speedup >= targets.speedupVsTshark && ours.peakMB < targets.peakMemoryMB;
  console.log(JSON.stringify({ bench: 'analyze', figures, targets, met }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
