// `npm run bench:failover`: failover drills for carpd and ucarp side by side, then carpd's CPU and memory.
import { carpdUnavailableReason, labUnavailableReason } from '../../test/lab/harness/index.js';
import { percentile, runSeries, type DrillSeries } from './drills.js';
import { ADVBASE, BACKUP_SKEW } from './pairs.js';
import { measureResources, VHIDS, type Resources } from './resources.js';

const HARD_TARGET = 3 * ADVBASE + BACKUP_SKEW / 256 + 0.1;
const GRACEFUL_TARGET = 0.1;
const CPU_TARGET = 1;
const MEM_TARGET_MB = 80;

type Figures = Record<string, number | null>;

const round = (v: number | null, digits = 3) => (v === null ? null : Number(v.toFixed(digits)));

export async function main(args: string[]): Promise<number> {
  const quick = args.includes('--quick');
  const drills = quick ? 3 : 10;
  const windowS = quick ? 15 : 60;
  const log = (line: string) => console.log(line);

  const labReason = labUnavailableReason(['ucarp']);
  if (labReason) {
    console.error(`bench:failover: ${labReason}`);
    console.log(JSON.stringify({ bench: 'failover', figures: {}, targets: {}, met: false, error: labReason }));
    return 1;
  }
  const carpdReason = carpdUnavailableReason();
  if (carpdReason) log(`carpd figures skipped: ${carpdReason}`);

  log(`failover drills: ${drills} each, advbase ${ADVBASE}, backup advskew ${BACKUP_SKEW}, client pings every 20 ms`);
  const [ucarp, carpd] = await Promise.all([
    runSeries('ucarp', ['sigterm', 'hard'], drills, log),
    carpdReason ? Promise.resolve([] as DrillSeries[]) : runSeries('carpd', ['sigterm', 'maintenance', 'hard'], drills, log),
  ]);

  let resources: Resources | null = null;
  let resourceError: string | null = carpdReason;
  if (!carpdReason) {
    log(`carpd CPU and memory: ${VHIDS} vhids at advbase 1 for ${windowS} s`);
    try {
      resources = await measureResources(windowS);
    } catch (err) {
      resourceError = (err as Error).message;
      log(`resource measurement failed: ${resourceError}`);
    }
  }

  const figures: Figures = {};
  const rows: string[][] = [];
  for (const s of [...carpd, ...ucarp]) {
    const p50 = percentile(s.samples, 50);
    const p95 = percentile(s.samples, 95);
    figures[`${s.impl}_${s.kind}_p50_s`] = round(p50);
    figures[`${s.impl}_${s.kind}_p95_s`] = round(p95);
    figures[`${s.impl}_${s.kind}_failed`] = s.failures.length;
    const fmt = (v: number | null) => (v === null ? '-' : v.toFixed(3));
    const max = s.samples.length ? Math.max(...s.samples) : null;
    rows.push([s.impl, s.kind, `${s.samples.length}/${s.samples.length + s.failures.length}`, fmt(p50), fmt(p95), fmt(max)]);
  }
  figures.carpd_crashes = carpd.reduce((n, s) => n + s.crashes.length, 0);
  figures.ucarp_crashes = ucarp.reduce((n, s) => n + s.crashes.length, 0);
  figures.carpd_cpu_percent = round(resources?.cpuPercent ?? null);
  figures.carpd_backup_cpu_percent = round(resources?.backupCpuPercent ?? null);
  figures.carpd_vmhwm_mb = round(resources?.vmHwmMB ?? null, 1);
  figures.carpd_rss_mb = round(resources?.rssMB ?? null, 1);

  const targets = {
    carpd_hard_p95_s: round(HARD_TARGET),
    carpd_sigterm_p95_s: GRACEFUL_TARGET,
    carpd_maintenance_p95_s: GRACEFUL_TARGET,
    carpd_cpu_percent: CPU_TARGET,
    carpd_vmhwm_mb: MEM_TARGET_MB,
  };
  const below = (key: keyof typeof targets, strict: boolean) => {
    const v = figures[key];
    const t = targets[key]!;
    return v !== null && v !== undefined && (strict ? v < t : v <= t);
  };
  const met =
    below('carpd_hard_p95_s', false) &&
    below('carpd_sigterm_p95_s', true) &&
    below('carpd_maintenance_p95_s', true) &&
    below('carpd_cpu_percent', true) &&
    below('carpd_vmhwm_mb', true) &&
    carpd.every((s) => s.failures.length === 0 && s.crashes.length === 0);

  log('');
  log('outage seen by the client (s)');
  const header = ['impl', 'drill', 'ok', 'p50', 'p95', 'max'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  log(line(header));
  for (const r of rows) log(line(r));
  log('ucarp has no maintenance mode and sends no bow-out: its graceful stop (SIGTERM with -z) waits for the master-down timer');
  log(`targets: hard p95 <= ${HARD_TARGET.toFixed(3)} s (3 x advbase + advskew/256 + 0.1), graceful p95 < ${GRACEFUL_TARGET} s`);
  if (resources) {
    log(
      `carpd, ${VHIDS} vhids over ${resources.windowS.toFixed(0)} s: CPU ${resources.cpuPercent.toFixed(3)} % of a core as master ` +
        `(${resources.backupCpuPercent.toFixed(3)} % as backup; target < ${CPU_TARGET} %), VmHWM ${resources.vmHwmMB.toFixed(1)} MB, ` +
        `RSS ${resources.rssMB.toFixed(1)} MB (target < ${MEM_TARGET_MB} MB)`,
    );
  } else {
    log(`carpd CPU/memory: not measured (${resourceError})`);
  }
  for (const s of [...carpd, ...ucarp]) {
    for (const f of new Set(s.failures)) log(`failure: ${s.impl} ${s.kind}: ${f.split('\n')[0]}`);
    for (const c of s.crashes) log(`crash: ${s.impl} (found before a ${s.kind} drill): ${c}`);
  }
  console.log(JSON.stringify({ bench: 'failover', figures, targets, met }));
  return met ? 0 : 1;
}
