import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateSyncConfig } from './config.js';
import { renderConntrackdConf, type ConntrackdPaths } from './conf.js';
import type { ExecResult, HostDeps } from './deps.js';
import { HealthMonitor, type MonitorEvent } from './monitor.js';
import { interfaceInfo, pickLocalAddress, preflight, type PreflightResult } from './preflight.js';
import { parseStats, type ConntrackdStats } from './stats.js';
import type { NudgeResult } from './nudge/nudge.js';
import { DEFAULT_BACKOFF_MS, Supervisor } from './supervisor.js';

export type StateSyncEventKind = MonitorEvent['kind'] | 'conntrackd-died' | 'conntrackd-started' | 'ready' | 'commit' | 'nudge' | 'error';

export interface StateSyncEvent {
  kind: StateSyncEventKind;
  message: string;
}

export interface CommitResult {
  ok: boolean;
  /** How long `conntrackd -c` took. */
  ms: number;
  /** States in the external cache when the commit started (what was committed). */
  states: number | null;
  error?: string;
}

export interface StateSyncError {
  code: 'sync-address' | 'conntrackd-command' | 'not-running';
  message: string;
  where: string;
}

export interface StateSyncStatus {
  interface: string;
  peer: string | null;
  transport: 'unicast' | 'multicast';
  localAddress: string | null;
  conntrackd: { running: boolean; pid: number | null; restarts: number; lastExit: string | null };
  ready: boolean;
  readyReason: string;
  peerReachable: boolean;
  lastHeardSecondsAgo: number | null;
  states: { kernel: number | null; internalCache: number | null; externalCache: number | null };
  lastBulkSync: string | null;
  lastCommit: { at: string; ms: number; states: number | null; ok: boolean } | null;
  messages: { sent: number; received: number; lost: number; malformed: number; sendErrors: number; receiveErrors: number } | null;
  stall: string | null;
  errors: { at: string; message: string }[];
}

export interface StateSyncOptions {
  /** A directory for conntrackd.conf, its lock file, control socket and log (e.g. stateDir/conntrackd). */
  dir: string;
  host: HostDeps;
  pollMs?: number;
  backoffMs?: readonly number[];
  /**
   * Prompts both ends of every synced TCP flow to retransmit now (nudge/nudge.ts), run right after the VIPs are up,
   * so a flow resumes with the takeover instead of at its next backed-off retransmission.
   */
  nudge?: () => Promise<NudgeResult>;
}

export interface StateSync {
  /** Writes conntrackd.conf, starts conntrackd and the health poll. Resolves with an error value when it cannot. */
  start(): Promise<StateSyncError | null>;
  stop(): Promise<void>;
  /** Commits the external cache into the kernel; call (and await) before adding the VIPs. */
  beforeMaster(): Promise<CommitResult>;
  /** After the VIPs are up: flush the caches, resync with the kernel and send a bulk update to the peer. */
  afterMaster(): Promise<void>;
  /** The retransmission nudge alone (again), e.g. when another vhid's VIPs came up later in the same takeover. */
  nudge(): Promise<void>;
  /** On BACKUP: shorten the kernel timers of states this node no longer owns and request a resync. */
  onBackup(): Promise<void>;
  /** False from start until the bulk resync with the peer finished or startupTimeout passed. */
  readonly ready: boolean;
  onReadyChange(listener: (ready: boolean, why: string) => void): () => void;
  onEvent(listener: (e: StateSyncEvent) => void): () => void;
  status(): StateSyncStatus;
  /** Forces a full resync: our states from the kernel to the peer, the peer's states to us. */
  resync(): Promise<{ ok: boolean; message: string }>;
  preflight(): Promise<PreflightResult>;
}

const COMMAND_TIMEOUT_MS = 10_000;
const MAX_ERRORS = 10;
/** How long the external cache must stay unchanged after our resync request before the bulk counts as done. */
const RESYNC_SETTLE_MS = 1000;

export function conntrackdPaths(dir: string): ConntrackdPaths {
  return { conf: join(dir, 'conntrackd.conf'), lock: join(dir, 'conntrackd.lock'), socket: join(dir, 'conntrackd.ctl'), log: join(dir, 'conntrackd.log') };
}

export function createStateSync(config: StateSyncConfig, opts: StateSyncOptions): StateSync {
  const host = opts.host;
  const pollMs = opts.pollMs ?? 1000;
  const paths = conntrackdPaths(opts.dir);
  const monitor = new HealthMonitor({ stallAfterMs: config.stallAfter * 1000, peerTimeoutMs: Math.max(3000, 3 * pollMs) });
  const readyListeners = new Set<(ready: boolean, why: string) => void>();
  const eventListeners = new Set<(e: StateSyncEvent) => void>();
  const errors: { at: string; message: string }[] = [];
  let localAddress: string | null = null;
  let stats: ConntrackdStats | null = null;
  let kernelCount: number | null = null;
  let ready = false;
  let readyReason = 'not started';
  let startedAt = 0;
  let resyncRequestedAt: number | null = null;
  let externalCreated: number | null = null;
  let externalSettledSince = 0;
  let lastBulkSync: string | null = null;
  let lastCommit: StateSyncStatus['lastCommit'] = null;
  let lastExit: string | null = null;
  let pollTimer: NodeJS.Timeout | undefined;
  let polling = false;
  let stopped = true;

  const emit = (kind: StateSyncEventKind, message: string) => {
    for (const l of eventListeners) l({ kind, message });
  };
  const recordError = (message: string) => {
    errors.push({ at: new Date().toISOString(), message });
    if (errors.length > MAX_ERRORS) errors.shift();
    emit('error', message);
  };
  const setReady = (why: string) => {
    if (ready) return;
    ready = true;
    readyReason = why;
    emit('ready', why);
    for (const l of readyListeners) l(true, why);
  };

  const supervisor = new Supervisor(
    { backoffMs: opts.backoffMs ?? DEFAULT_BACKOFF_MS, stableMs: 30_000, stopGraceMs: 3000, now: host.now },
    {
      launch: () => {
        // A killed conntrackd leaves its lock file behind and would refuse to start.
        rmSync(paths.lock, { force: true });
        return host.spawn([config.conntrackd, '-C', paths.conf], paths.log.replace(/\.log$/, '.out'));
      },
      started: (child, restarts) => {
        monitor.reset();
        if (restarts > 0) emit('conntrackd-started', `conntrackd restarted (pid ${child.pid ?? '?'}, restart ${restarts})`);
      },
      died: (exit, output, delay, restarts) => {
        const how = exit.signal ? `killed by ${exit.signal}` : exit.code === null ? 'failed to start' : `exited with status ${exit.code}`;
        lastExit = `${how} at ${new Date().toISOString()}`;
        const last = output.trim().split('\n').slice(-2).join(' | ');
        emit('conntrackd-died', `conntrackd ${how}${last ? ` (${last})` : ''}; restarting in ${(delay / 1000).toFixed(2)} s (restart ${restarts})`);
      },
    },
  );

  const command = async (args: string[], what: string): Promise<ExecResult> => {
    const r = await host.exec([config.conntrackd, '-C', paths.conf, ...args], COMMAND_TIMEOUT_MS);
    if (r.code !== 0) recordError(`conntrackd ${args.join(' ')} (${what}) failed: ${r.stderr || r.stdout.trim() || `exit ${r.code ?? 'timeout'}`}`);
    return r;
  };

  /**
   * A conntrackd left running by a carpd that was killed still holds our control socket and UDP port, so a new one
   * could never start: ask it to exit through its socket (only our own instance answers there).
   */
  const stopLeftover = async () => {
    const k = await host.exec([config.conntrackd, '-C', paths.conf, '-k'], 3000);
    if (k.code !== 0) return;
    for (let i = 0; i < 30; i++) {
      if ((await host.exec([config.conntrackd, '-C', paths.conf, '-s'], 1000)).code !== 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    emit('conntrackd-died', 'stopped a conntrackd left running by an earlier carpd');
  };

  const poll = async () => {
    if (polling || stopped) return;
    polling = true;
    try {
      const [general, runtime, count] = await Promise.all([
        host.exec([config.conntrackd, '-C', paths.conf, '-s'], pollMs * 2),
        host.exec([config.conntrackd, '-C', paths.conf, '-s', 'runtime'], pollMs * 2),
        host.exec(['sysctl', '-n', 'net.netfilter.nf_conntrack_count'], pollMs * 2),
      ]);
      const parsed = general.code === 0 ? parseStats(general.stdout) : null;
      stats = parsed?.ok ? parsed.stats : null;
      const events = /events received:\s*(\d+)/.exec(runtime.stdout);
      kernelCount = count.code === 0 && /^\d+$/.test(count.stdout.trim()) ? Number(count.stdout.trim()) : null;
      const now = host.now();
      if (stopped) return;
      const running = supervisor.running !== undefined;
      const out = monitor.push({ at: now, stats: running ? stats : null, eventsReceived: events ? Number(events[1]) : null, kernelCount });
      for (const e of out) emit(e.kind, e.message);
      checkReady(now);
    } finally {
      polling = false;
    }
  };

  /**
   * The bulk resync is done once, after the peer was heard, we asked it for a resync (conntrackd's own startup
   * request is lost when the peer was unreachable then) and the external cache stopped growing for RESYNC_SETTLE_MS.
   */
  const checkReady = (now: number) => {
    if (ready) return;
    const created = stats?.external.created ?? null;
    if (monitor.peerReachable && resyncRequestedAt === null) {
      resyncRequestedAt = now;
      void command(['-n'], 'request a resync from the peer');
    }
    if (created !== externalCreated) {
      externalCreated = created;
      externalSettledSince = now;
    }
    const settled = resyncRequestedAt !== null && created !== null && now - Math.max(resyncRequestedAt, externalSettledSince) >= RESYNC_SETTLE_MS;
    if (monitor.peerReachable && settled) {
      lastBulkSync = new Date().toISOString();
      setReady(`bulk resync with the peer done (${stats?.external.active ?? 0} states)`);
    } else if (now - startedAt >= config.startupTimeout * 1000) {
      setReady(`no complete bulk resync within ${config.startupTimeout} s (${monitor.peerReachable ? 'peer still sending' : 'peer not heard'}); going ahead without it`);
    } else {
      readyReason = monitor.peerReachable ? 'bulk resync with the peer running' : 'waiting for the peer on the sync link';
    }
  };

  const sync: StateSync = {
    async start() {
      const info = await interfaceInfo(host, config.interface);
      localAddress = pickLocalAddress(config, info);
      if (!localAddress) {
        const message = `stateSync: interface ${config.interface} ${info ? 'has no usable address' : 'does not exist'}; add an address on the sync link or set stateSync.address`;
        return { code: 'sync-address', message, where: 'stateSync.interface' };
      }
      const r = renderConntrackdConf({ config, localAddress, paths });
      if (!r.ok) return { code: r.code, message: r.message, where: 'stateSync' };
      mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
      writeFileSync(paths.conf, r.text);
      await stopLeftover();
      stopped = false;
      startedAt = host.now();
      readyReason = 'waiting for the peer on the sync link';
      supervisor.start();
      pollTimer = setInterval(() => void poll(), pollMs);
      return null;
    },

    async stop() {
      stopped = true;
      clearInterval(pollTimer);
      await supervisor.stop();
      // conntrackd removes it on SIGTERM, but not when it had to be killed.
      rmSync(paths.lock, { force: true });
    },

    async beforeMaster() {
      const states = stats?.external.active ?? null;
      if (!supervisor.running) {
        const error = 'conntrackd is not running; nothing committed';
        recordError(error);
        return { ok: false, ms: 0, states, error };
      }
      const t0 = host.now();
      const r = await command(['-c'], 'commit the external cache');
      const ms = host.now() - t0;
      lastCommit = { at: new Date().toISOString(), ms, states, ok: r.code === 0 };
      const result: CommitResult = { ok: r.code === 0, ms, states, ...(r.code === 0 ? {} : { error: r.stderr || `exit ${r.code ?? 'timeout'}` }) };
      emit('commit', `committed ${states ?? 'unknown'} state(s) from the peer into the kernel in ${ms.toFixed(1)} ms${result.ok ? '' : ` (failed: ${result.error})`}`);
      return result;
    },

    async afterMaster() {
      await sync.nudge();
      if (!supervisor.running) return;
      await command(['-f'], 'flush the caches');
      await command(['-R'], 'resync with the kernel');
      const r = await command(['-B'], 'bulk send to the peer');
      if (r.code === 0) lastBulkSync = new Date().toISOString();
    },

    async nudge() {
      if (!opts.nudge) return;
      const t0 = host.now();
      const r = await opts.nudge();
      const ms = (host.now() - t0).toFixed(0);
      emit('nudge', `prompted ${r.nudged} TCP endpoint(s) of ${r.flows} flow(s) to retransmit now (${ms} ms)${r.errors.length ? `; ${r.errors.join('; ')}` : ''}`);
    },

    async onBackup() {
      if (!supervisor.running) return;
      await command(['-t'], 'shorten kernel timers');
      await command(['-n'], 'request a resync from the peer');
    },

    get ready() {
      return ready;
    },

    onReadyChange(listener) {
      readyListeners.add(listener);
      return () => readyListeners.delete(listener);
    },

    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },

    status() {
      const child = supervisor.running;
      const heard = monitor.lastHeardAt;
      return {
        interface: config.interface,
        peer: config.peer ?? null,
        transport: config.transport,
        localAddress,
        conntrackd: { running: child !== undefined, pid: child?.pid ?? null, restarts: supervisor.restarts, lastExit },
        ready,
        readyReason,
        peerReachable: monitor.peerReachable,
        lastHeardSecondsAgo: heard === undefined ? null : Math.round((host.now() - heard) / 100) / 10,
        states: { kernel: kernelCount, internalCache: stats?.internal.active ?? null, externalCache: stats?.external.active ?? null },
        lastBulkSync,
        lastCommit,
        messages: stats
          ? { sent: stats.packetsSent, received: stats.packetsReceived, lost: stats.lost, malformed: stats.malformed, sendErrors: stats.sendErrors, receiveErrors: stats.receiveErrors }
          : null,
        stall: monitor.stall,
        errors: [...errors],
      };
    },

    async resync() {
      if (!supervisor.running) return { ok: false, message: 'conntrackd is not running (carpd restarts it; try again shortly)' };
      const results = [await command(['-R'], 'resync with the kernel'), await command(['-B'], 'bulk send to the peer'), await command(['-n'], 'request a resync from the peer')];
      const ok = results.every((r) => r.code === 0);
      if (ok) lastBulkSync = new Date().toISOString();
      return { ok, message: ok ? 'full resync started: our states sent to the peer, the peer asked for its states' : `resync failed: ${errors[errors.length - 1]?.message ?? 'unknown error'}` };
    },

    preflight() {
      return preflight(config, host, supervisor.running ? monitor.peerReachable : null);
    },
  };
  return sync;
}
