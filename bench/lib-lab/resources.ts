// carpd's CPU and memory with 16 vhids at advbase 1: fw1 masters them all while fw2 backs them up.
import { readFileSync } from 'node:fs';
import { buildPair, createLab, segAddr, sleep, startCarpd, waitFor, type Carpd } from '../../test/lab/harness/index.js';

export const VHIDS = 16;

export interface Resources {
  /** Share of one core used by the master's carpd over the window, percent. */
  cpuPercent: number;
  backupCpuPercent: number;
  /** Peak resident set (VmHWM) and current RSS at the end of the window, MB. */
  vmHwmMB: number;
  rssMB: number;
  windowS: number;
}

// /proc/PID/stat: fields after the ")" of comm; utime and stime are fields 14 and 15 (1-based), in clock ticks.
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function statusKB(pid: number, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`/proc/${pid}/status has no ${key}`);
  return Number(m[1]);
}

const CLK_TCK = 100;

export async function measureResources(windowS: number): Promise<Resources> {
  const lab = await createLab('bcpu');
  try {
    const topo = await buildPair(lab);
    const vhids = (advskew: number) =>
      Array.from({ length: VHIDS }, (_, i) => ({
        vhid: i + 1,
        interface: 'lan',
        advbase: 1,
        advskew,
        password: `pw${i + 1}`,
        vips: [segAddr(1, 20 + i, 4, true)],
        preempt: true,
      }));
    const fw1: Carpd = await startCarpd(lab, topo.fw1, { node: 'fw1', vhids: vhids(0) });
    const fw2: Carpd = await startCarpd(lab, topo.fw2, { node: 'fw2', vhids: vhids(100) });
    const all = async (c: Carpd, state: string) => (await c.status()).vhids.filter((v) => v.state === state).length === VHIDS;
    await waitFor(`all ${VHIDS} vhids MASTER on fw1 and BACKUP on fw2`, async () => (await all(fw1, 'MASTER')) && (await all(fw2, 'BACKUP')), 30_000, 250);
    await sleep(2000);
    const [p1, p2] = [fw1.proc.pid, fw2.proc.pid];
    const t0 = performance.now();
    const [a0, b0] = [cpuTicks(p1), cpuTicks(p2)];
    await sleep(windowS * 1000);
    const [a1, b1] = [cpuTicks(p1), cpuTicks(p2)];
    const elapsed = (performance.now() - t0) / 1000;
    if (!(await all(fw1, 'MASTER'))) throw new Error('fw1 lost mastership of some vhids during the window');
    return {
      cpuPercent: ((a1 - a0) / CLK_TCK / elapsed) * 100,
      backupCpuPercent: ((b1 - b0) / CLK_TCK / elapsed) * 100,
      vmHwmMB: statusKB(p1, 'VmHWM') / 1024,
      rssMB: statusKB(p1, 'VmRSS') / 1024,
      windowS: elapsed,
    };
  } finally {
    await lab.cleanup();
  }
}
