// What the system says about users, groups, file capabilities and mounts (getent, getcap, /proc/self/mountinfo).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CaptureRightsError } from './errors.js';

export interface Account {
  name: string;
  uid: number;
  gid: number;
}

export interface Group {
  name: string;
  gid: number;
  members: string[];
}

function getent(db: 'passwd' | 'group', key: string): string[] | null {
  const r = spawnSync('getent', [db, key], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout) return null;
  return r.stdout.split('\n')[0].split(':');
}

export function lookupUser(nameOrUid: string | number): Account | null {
  const f = getent('passwd', String(nameOrUid));
  return f ? { name: f[0], uid: Number(f[2]), gid: Number(f[3]) } : null;
}

export function lookupGroup(name: string): Group | null {
  const f = getent('group', name);
  return f ? { name: f[0], gid: Number(f[2]), members: f[3] ? f[3].split(',').filter(Boolean) : [] } : null;
}

/** A system tool by name: PATH first, then the sbin directories an unprivileged PATH often lacks. */
export function findTool(name: string, envPath = process.env.PATH ?? ''): string | null {
  const dirs = [...envPath.split(':').filter(Boolean), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const d of dirs) {
    const file = path.join(d, name);
    if (existsSync(file)) return file;
  }
  return null;
}

/** getcap's answer for one file: the capability text (e.g. "cap_net_admin,cap_net_raw=eip"), "" for none. */
export function fileCapabilities(file: string): string | null {
  const getcap = findTool('getcap');
  if (!getcap) return null;
  const r = spawnSync(getcap, [file], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return parseGetcap(r.stdout);
}

/** Both getcap formats: "FILE cap_a,cap_b=eip" (libcap 2.4x+) and "FILE = cap_a,cap_b+eip" (older). */
export function parseGetcap(out: string): string {
  const m = /(cap_[a-z_,]+)\s*[=+]\s*([eip]+)/.exec(out);
  return m ? `${m[1]}=${m[2]}` : '';
}

/** True when the capability text grants both capture capabilities, effective and permitted. */
export function grantsCapture(caps: string): boolean {
  const [names = '', flags = ''] = caps.split('=');
  const list = names.split(',');
  return list.includes('cap_net_raw') && list.includes('cap_net_admin') && flags.includes('e') && flags.includes('p');
}

/** True when the file lies on a filesystem mounted nosuid, where file capabilities do nothing (AppImages, some /tmp). */
export function onNosuidMount(file: string, mountinfo = readMountinfo()): boolean {
  let best = '';
  let nosuid = false;
  for (const line of mountinfo.split('\n')) {
    const f = line.split(' ');
    if (f.length < 6) continue;
    const point = f[4].replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
    const inside = point === '/' || file === point || file.startsWith(point + '/');
    if (inside && point.length >= best.length) {
      best = point;
      nosuid = f[5].split(',').includes('nosuid');
    }
  }
  return nosuid;
}

function readMountinfo(): string {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return '';
  }
}

/** Runs a system command (groupadd, setcap, ...); null when it succeeded, otherwise what failed and why. */
export function runSystem(cmd: string, args: string[]): CaptureRightsError | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status === 0) return null;
  return { code: 'system-command-failed', message: `${[cmd, ...args].join(' ')} failed: ${(r.stderr || r.error?.message || `exit status ${r.status}`).trim()}`, where: cmd };
}
