// `carpdeck serve --open`: shows the UI in Debian's Chromium (or the desktop's default browser).
//
// The UI never runs as root. Chromium as root only starts with --no-sandbox, which we refuse to use; so when
// carpdeck runs as root (this project's lab and setup scripts do), Chromium is started as an unprivileged
// account (`nobody`) through `runuser`, with a fresh profile directory that account owns and a copy of the X
// cookie so it may draw on the display. The copy lives in that 0700 directory and is deleted with it when
// Chromium exits. Without an X display (Wayland-only sessions keep their socket in root's runtime dir) or
// without such an account, nothing is launched and the URL is printed for the person to open.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

export interface Account {
  name: string;
  uid: number;
  gid: number;
}

export interface LaunchEnv {
  isRoot: boolean;
  /** DISPLAY (X11) */
  x11Display?: string;
  /** WAYLAND_DISPLAY */
  waylandDisplay?: string;
  /** Path of Chromium if installed. */
  chromium?: string;
  /** Path of xdg-open if installed. */
  xdgOpen?: string;
  /** The account to run Chromium as when we are root. */
  unprivileged?: Account;
  /** The X authority file of the current session, if there is one. */
  xauthority?: string;
}

export type LaunchPlan =
  | { kind: 'chromium'; command: string; args: string[]; runAs?: Account }
  | { kind: 'xdg-open'; command: string; args: string[] }
  | { kind: 'none'; reason: string };

/** Chromium flags (developers' guide §7.3): no first-run UI and none of Chromium's own network chatter. */
export function chromiumArgs(url: string, profileDir: string): string[] {
  return [
    `--user-data-dir=${profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-dev-shm-usage',
    `--app=${url}`,
  ];
}

export function planBrowserLaunch(url: string, env: LaunchEnv, profileDir: string): LaunchPlan {
  if (!env.x11Display && !env.waylandDisplay) {
    return { kind: 'none', reason: 'there is no graphical display here (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  if (env.isRoot) {
    if (!env.chromium) return { kind: 'none', reason: 'Chromium is not installed (apt-get install chromium), and a browser is never started as root' };
    if (!env.unprivileged) return { kind: 'none', reason: 'running as root and there is no unprivileged account (such as nobody) to run Chromium as' };
    if (!env.x11Display) return { kind: 'none', reason: 'running as root on a Wayland-only display, which an unprivileged Chromium cannot reach' };
    return { kind: 'chromium', command: env.chromium, args: chromiumArgs(url, profileDir), runAs: env.unprivileged };
  }
  if (env.chromium) return { kind: 'chromium', command: env.chromium, args: chromiumArgs(url, profileDir) };
  if (env.xdgOpen) return { kind: 'xdg-open', command: env.xdgOpen, args: [url] };
  return { kind: 'none', reason: 'neither Chromium nor xdg-open is installed' };
}

export function findAccount(passwd: string, name: string): Account | undefined {
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined && Number(uid) > 0) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

const which = (candidates: string[]) => candidates.find((c) => existsSync(c));

export function detectLaunchEnv(): LaunchEnv {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    passwd = '';
  }
  const xauthority = process.env.XAUTHORITY ?? path.join(homedir(), '.Xauthority');
  return {
    isRoot: process.getuid?.() === 0,
    x11Display: process.env.DISPLAY || undefined,
    waylandDisplay: process.env.WAYLAND_DISPLAY || undefined,
    chromium: which(['/usr/bin/chromium', '/usr/bin/chromium-browser']),
    xdgOpen: which(['/usr/bin/xdg-open']),
    unprivileged: findAccount(passwd, 'nobody'),
    xauthority: existsSync(xauthority) ? xauthority : undefined,
  };
}

export interface LaunchedBrowser {
  plan: LaunchPlan;
  /** The browser process when we own its lifetime (Chromium with our profile); xdg-open returns at once. */
  child?: ChildProcess;
}

/** Starts the browser as planned; the temporary profile is removed when Chromium exits. */
export function openBrowser(url: string, env: LaunchEnv = detectLaunchEnv()): LaunchedBrowser {
  const dir = mkdtempSync(path.join(tmpdir(), 'carpdeck-chromium-'));
  const profile = path.join(dir, 'profile');
  const plan = planBrowserLaunch(url, env, profile);
  if (plan.kind !== 'chromium') {
    rmSync(dir, { recursive: true, force: true });
    if (plan.kind === 'xdg-open') spawn(plan.command, plan.args, { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
    return { plan };
  }
  mkdirSync(profile, { mode: 0o700 });
  let child: ChildProcess;
  if (plan.runAs) {
    const extraEnv = [`HOME=${dir}`];
    if (env.xauthority) {
      const cookie = path.join(dir, 'Xauthority');
      copyFileSync(env.xauthority, cookie);
      chownSync(cookie, plan.runAs.uid, plan.runAs.gid);
      extraEnv.push(`XAUTHORITY=${cookie}`);
    }
    chownSync(profile, plan.runAs.uid, plan.runAs.gid);
    chownSync(dir, plan.runAs.uid, plan.runAs.gid);
    const childEnv = { ...process.env };
    delete childEnv.XDG_RUNTIME_DIR;
    delete childEnv.DBUS_SESSION_BUS_ADDRESS;
    child = spawn('runuser', ['-u', plan.runAs.name, '--', 'env', ...extraEnv, plan.command, ...plan.args], { stdio: 'ignore', env: childEnv });
  } else {
    child = spawn(plan.command, plan.args, { stdio: 'ignore' });
  }
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  child.on('exit', cleanup);
  child.on('error', cleanup);
  return { plan, child };
}
