// Failover drills seen from the client: each drill pings the VIP every 20 ms across one takeover and returns the
// longest outage, then puts the pair back (fw1 master) for the next drill.
import { createLab, sleep, startPinger } from '../../test/lab/harness/index.js';
import { carpdPair, ucarpPair, VIP, type HaPair } from './pairs.js';

export type DrillKind = 'hard' | 'sigterm' | 'maintenance';

export interface DrillSeries {
  impl: 'carpd' | 'ucarp';
  kind: DrillKind;
  /** Outage per successful drill, seconds. */
  samples: number[];
  /** Why drills failed (timeouts, daemon errors). */
  failures: string[];
  /** Daemons found dead (and restarted) before a drill of this kind, with how they died. */
  crashes: string[];
}

async function provoke(pair: HaPair, kind: DrillKind): Promise<void> {
  if (kind === 'hard') await pair.lab.linkDown(pair.topo.fw1, 'lan');
  else if (kind === 'sigterm') await pair.stopFw1();
  else await pair.maintenance!(true);
}

async function restore(pair: HaPair, kind: DrillKind): Promise<void> {
  if (kind === 'hard') await pair.lab.linkUp(pair.topo.fw1, 'lan');
  else if (kind === 'sigterm') await pair.startFw1();
  else await pair.maintenance!(false);
}

async function drill(pair: HaPair, kind: DrillKind): Promise<number> {
  await pair.settleOnFw1();
  const pinger = startPinger(pair.lab, pair.topo.client, VIP);
  let provoked = false;
  try {
    await pinger.waitForReply();
    // a random phase relative to the advertisement timer, so the drills sample the whole interval
    await sleep(300 + Math.random() * 1000);
    provoked = true;
    await provoke(pair, kind);
    await pair.waitFw2(20_000);
    await pinger.waitForReply(10_000);
    await sleep(300);
  } catch (err) {
    await pinger.stop();
    if (provoked) await restore(pair, kind).catch(() => undefined);
    throw err;
  }
  const report = await pinger.stop();
  await restore(pair, kind);
  if (report.outages.some((o) => o.open)) throw new Error(`the client still had no reply from ${VIP} when the drill ended`);
  return report.longest;
}

export type Progress = (line: string) => void;

/** Runs `count` drills of each kind against one pair in its own lab. */
export async function runSeries(impl: 'carpd' | 'ucarp', kinds: DrillKind[], count: number, progress: Progress): Promise<DrillSeries[]> {
  const series = kinds.map((kind): DrillSeries => ({ impl, kind, samples: [], failures: [], crashes: [] }));
  const lab = await createLab(`b${impl}`);
  try {
    let pair: HaPair;
    try {
      pair = impl === 'carpd' ? await carpdPair(lab) : await ucarpPair(lab);
    } catch (err) {
      for (const s of series) s.failures.push(`setup: ${(err as Error).message}`);
      return series;
    }
    for (const s of series) {
      for (let i = 1; i <= count; i++) {
        const crash = await pair.revive();
        if (crash) {
          s.crashes.push(crash);
          progress(`${impl} before ${s.kind} #${i}: ${crash}`);
        }
        try {
          const seconds = await drill(pair, s.kind);
          s.samples.push(seconds);
          progress(`${impl} ${s.kind} #${i}: ${seconds.toFixed(3)} s`);
        } catch (err) {
          s.failures.push((err as Error).message);
          progress(`${impl} ${s.kind} #${i}: FAILED ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    const crash = await pair.revive();
    if (crash) series[series.length - 1].crashes.push(crash);
    return series;
  } finally {
    await lab.cleanup();
  }
}

/** Nearest-rank percentile of `values` (p in 0..100), or null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
