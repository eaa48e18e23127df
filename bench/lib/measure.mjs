// Runs a command with stdout sent to a file (or /dev/null) and measures wall time, CPU time and peak RSS.
// GNU time reports the child's own figures; without it, /proc/PID/status VmHWM is polled and CPU time is
// read from /proc/PID/stat just before the process exits (less exact, marked as such).
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const GNU_TIME = '/usr/bin/time';

/** @returns {Promise<{ wallS: number, cpuS: number | null, peakMB: number, code: number, stderr: string }>} */
export async function measure(cmd, args, { stdoutFile = '/dev/null', cwd } = {}) {
  const out = openSync(stdoutFile, 'w');
  const dir = mkdtempSync(path.join(tmpdir(), 'carpdeck-measure-'));
  const timeFile = path.join(dir, 'time.txt');
  const useTime = existsSync(GNU_TIME);
  const argv = useTime ? ['-o', timeFile, '-f', '%e %U %S %M', cmd, ...args] : args;
  const start = process.hrtime.bigint();
  const child = spawn(useTime ? GNU_TIME : cmd, argv, { cwd, stdio: ['ignore', out, 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    if (stderr.length < 20000) stderr += d;
  });
  let hwmKB = 0;
  let cpuTicks = null;
  const poll = useTime
    ? null
    : setInterval(() => {
        try {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          const m = /VmHWM:\s+(\d+) kB/.exec(status);
          if (m) hwmKB = Math.max(hwmKB, Number(m[1]));
          const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
          cpuTicks = Number(stat[11]) + Number(stat[12]);
        } catch {
          // the process just exited
        }
      }, 20);
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const wallS = Number(process.hrtime.bigint() - start) / 1e9;
  if (poll) clearInterval(poll);
  closeSync(out);
  let result;
  if (useTime && existsSync(timeFile)) {
    const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop();
    const [e, u, s, m] = line.split(' ').map(Number);
    result = { wallS: Math.min(wallS, e > 0 ? e : wallS), cpuS: u + s, peakMB: m / 1024, code, stderr };
  } else {
    result = { wallS, cpuS: cpuTicks === null ? null : cpuTicks / 100, peakMB: hwmKB / 1024, code, stderr };
  }
  rmSync(dir, { recursive: true, force: true });
  return result;
}
