// carpd and carpctl (bundled in dist/ by `node build/bundle.mjs`) as lab peers.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, LabNode } from './lab.js';
import { run, type ExecResult, type LabProcess } from './proc.js';
import { repoRoot } from './repo.js';
import { WaitAbort, waitFor } from './wait.js';

export type CarpState = 'INIT' | 'BACKUP' | 'MASTER';

export interface CarpdVhidConfig {
  vhid: number;
  interface: string;
  advbase?: number;
  advskew?: number;
  password: string;
  vips: string[];
  preempt?: boolean;
  mode?: 'multicast' | 'unicast';
  peer?: string;
  virtualMac?: boolean;
  [extra: string]: unknown;
}

export interface CarpdConfig {
  node: string;
  controlSocket?: string;
  stateDir?: string;
  syslog?: boolean;
  vhids: CarpdVhidConfig[];
  [extra: string]: unknown;
}

export interface CarpdVhidStatus {
  vhid: number;
  interface: string;
  state: CarpState;
  advbase: number;
  advskew: number;
  demotion: number;
  advskewSent?: number;
  master?: string | null;
  sent?: number;
  received?: number;
  rejected?: Record<string, number>;
  [extra: string]: unknown;
}

export interface CarpdStatus {
  vhids: CarpdVhidStatus[];
  maintenance?: boolean;
  demotion?: number;
  demotionReasons?: Record<string, number>;
  pid?: number;
  [extra: string]: unknown;
}

export interface CarpdEvent {
  seq: number;
  time: string;
  kind: 'state' | 'demotion';
  vhid: number | null;
  old: string | number;
  new: string | number;
  cause: string;
  [extra: string]: unknown;
}

export interface Carpd {
  readonly node: LabNode;
  readonly configFile: string;
  readonly socket: string;
  /** The current carpd process (replaced by restart()). */
  readonly proc: LabProcess;
  /** Runs `carpctl --socket SOCKET ...args`. */
  ctl(args: readonly string[]): Promise<ExecResult>;
  status(): Promise<CarpdStatus>;
  state(vhid: number): Promise<CarpState | undefined>;
  /** `carpctl events --json` (every event still in the daemon's log, oldest first). */
  events(): Promise<CarpdEvent[]>;
  waitState(vhid: number, state: CarpState, timeoutMs?: number): Promise<void>;
  /** Starts carpd again (after a kill or stop), with the same config or a replacement written first. */
  restart(config?: CarpdConfig): LabProcess;
}

export const carpdBin = join(repoRoot, 'bin', 'carpd.cjs');
export const carpctlBin = join(repoRoot, 'bin', 'carpctl.cjs');

/** Why carpd cannot be used yet (not written or not bundled), or null. */
export function carpdUnavailableReason(): string | null {
  if (!existsSync(join(repoRoot, 'daemon', 'carpd.ts'))) return 'daemon/carpd.ts does not exist yet';
  for (const f of ['dist/daemon/carpd.cjs', 'dist/daemon/carpctl.cjs']) {
    if (!existsSync(join(repoRoot, f))) return `${f} is not built (run node build/bundle.mjs)`;
  }
  return null;
}

/** Runs carpctl against a socket path (Unix sockets are reachable from the host namespace). */
export function carpctl(socket: string, args: readonly string[]): Promise<ExecResult> {
  return run([process.execPath, carpctlBin, '--socket', socket, ...args], { timeoutMs: 10_000 });
}

export interface StartCarpdOptions {
  /** Runs carpd under another program, e.g. ['gdb', '-batch', '-ex', 'run', '-ex', 'bt', '--args'] to diagnose a crash. */
  wrapper?: string[];
  /** Extra node flags, e.g. ['--gc-interval=2000'] to make garbage collection (and GC-time bugs) frequent. */
  nodeFlags?: string[];
}

/**
 * Writes `config` (controlSocket and stateDir default to files in the node's directory, syslog to off so the lab
 * stays out of the host's log) and starts carpd in the node. Resolves once the control socket answers.
 */
export async function startCarpd(lab: Lab, node: LabNode, config: CarpdConfig, opts: StartCarpdOptions = {}): Promise<Carpd> {
  const configFile = join(node.dir, 'carpd.json');
  const write = (c: CarpdConfig): CarpdConfig => {
    const full: CarpdConfig = { controlSocket: join(node.dir, 'carpd.sock'), stateDir: join(node.dir, 'carpd-state'), syslog: false, ...c };
    mkdirSync(full.stateDir!, { recursive: true });
    writeFileSync(configFile, JSON.stringify(full, null, 2));
    return full;
  };
  const socket = write(config).controlSocket!;
  let runs = 0;
  const launch = () => lab.spawn(node, [...(opts.wrapper ?? []), process.execPath, ...(opts.nodeFlags ?? []), carpdBin, '--config', configFile], { logFile: join(node.dir, `carpd-${++runs}.log`) });
  let proc = launch();
  const carpd: Carpd = {
    node,
    configFile,
    socket,
    get proc() {
      return proc;
    },
    ctl: (args) => carpctl(socket, args),
    async status() {
      const r = await carpctl(socket, ['status', '--json']);
      if (r.code !== 0) throw new Error(`carpctl status on ${node.name} exited ${r.code}: ${r.stderr.trim()}`);
      return JSON.parse(r.stdout) as CarpdStatus;
    },
    async state(vhid) {
      return (await carpd.status()).vhids.find((v) => v.vhid === vhid)?.state;
    },
    async events() {
      const r = await carpctl(socket, ['events', '--json']);
      if (r.code !== 0) throw new Error(`carpctl events on ${node.name} exited ${r.code}: ${r.stderr.trim()}`);
      return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as CarpdEvent);
    },
    async waitState(vhid, state, timeoutMs = 15_000) {
      await waitFor(`carpd on ${node.name}: vhid ${vhid} ${state}`, async () => {
        if (!proc.running) throw new WaitAbort(`carpd on ${node.name} exited:\n${proc.output().slice(-1500)}`);
        return (await carpd.state(vhid)) === state;
      }, timeoutMs, 100);
    },
    restart(replacement) {
      if (replacement) write(replacement);
      proc = launch();
      return proc;
    },
  };
  await waitForSocket(carpd);
  return carpd;
}

async function waitForSocket(carpd: Carpd): Promise<void> {
  await waitFor(`carpd on ${carpd.node.name} to answer on ${carpd.socket}`, async () => {
    if (!carpd.proc.running) throw new WaitAbort(`carpd on ${carpd.node.name} exited:\n${carpd.proc.output().slice(-1500)}`);
    await carpd.status();
    return true;
  }, 15_000, 100);
}

/** Restarts carpd (optionally with a replacement config) and waits for its control socket. */
export async function restartCarpd(carpd: Carpd, config?: CarpdConfig): Promise<void> {
  carpd.restart(config);
  await waitForSocket(carpd);
}
