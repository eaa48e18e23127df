import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../config/load.js';
import { parseVip, type CarpdConfig, type VhidConfig } from '../config/schema.js';
import { newCoreState, trackedInterfaces } from '../core/state.js';
import { step } from '../core/step.js';
import { demoteByte, sentAdvskew, totalDemotion } from '../core/timing.js';
import type { Action, CoreInput, CoreState, DemotionReason } from '../core/types.js';
import type { ControlHandler } from '../control/server.js';
import type { CarpdStatus, ControlResponse, ParsedRequest } from '../control/protocol.js';
import type { StateSyncStatus } from '../statesync/sync.js';
import type { ConfigSyncControl } from '../configsync/control.js';
import type { BeaconHooks, BeaconVhid } from '../beacon/sender.js';
import type { EventLog } from '../events/log.js';
import type { InterfaceAddresses } from '../io/ip.js';
import { frameToInput } from './inbound.js';
import { advertFrames, announceFrames } from './outbound.js';
import type { DaemonIo, Port } from './io.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** A state or demotion event, already recorded in the event log. */
  event(line: string): void;
}

/** The conntrackd state sync as carpd drives it (daemon/statesync: StateSyncTransitions + StateSync). */
export interface StateSyncHooks {
  /** Awaited before a vhid's VIPs are added (commits the peer's states into the kernel). */
  beforeVips(): Promise<void>;
  afterVips(): void;
  stateChanged(old: string, next: string, mastersLeft: number): void;
  status(): StateSyncStatus;
  resync(): Promise<{ ok: boolean; message: string }>;
}

const LINK_POLL_MS = 200;
const ADDRESS_REFRESH_MS = 30_000;
/** Gratuitous ARP / unsolicited NA repeats after becoming master. */
const ANNOUNCE_AT_MS = [0, 500, 1000, 2000];

/** The I/O shell around the protocol core: executes its actions and feeds it packets, timers and link changes. */
export class Carpd implements ControlHandler {
  private state: CoreState;
  private readonly pending: CoreInput[] = [];
  private busy = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly ports = new Map<string, Port>();
  private readonly addrs = new Map<string, InterfaceAddresses>();
  private readonly peerMacs = new Map<string, string>();
  private readonly vipChains = new Map<string, Promise<void>>();
  private readonly announceTimers = new Map<string, NodeJS.Timeout[]>();
  private readonly links = new Map<string, boolean>();
  /** Interfaces whose capture stopped under us (see onPortLost). */
  private readonly lostPorts = new Set<string>();
  private pollTimer?: NodeJS.Timeout;
  private refreshTimer?: NodeJS.Timeout;
  private stopped = false;
  private stateSync?: StateSyncHooks;
  private configSync?: ConfigSyncControl;
  private beacon?: BeaconHooks;

  constructor(
    private config: CarpdConfig,
    private readonly configFile: string,
    private readonly io: DaemonIo,
    private readonly events: EventLog,
    private readonly log: Logger,
  ) {
    this.state = newCoreState(config.node, config.vhids, config.trackInterfaces);
  }

  /** Demotion hook for other modules (e.g. state sync not ready: setDemotion('state-sync', 240, 'bulk update running')). */
  setDemotion(reason: DemotionReason, amount: number, why?: string): void {
    this.input({ type: 'set-demotion', reason, amount, why });
  }

  attachStateSync(hooks: StateSyncHooks): void {
    this.stateSync = hooks;
  }

  attachConfigSync(control: ConfigSyncControl): void {
    this.configSync = control;
  }

  attachBeacon(hooks: BeaconHooks): void {
    this.beacon = hooks;
  }

  /** The vhids as the beacon announces them (current after a reload). */
  beaconVhids(): BeaconVhid[] {
    return this.state.vhids.map((v) => ({ vhid: v.config.vhid, interface: v.config.interface, state: v.state, password: v.config.password }));
  }

  /** Records what config sync reports (push, apply, refusal, drift) in the event log. */
  configSyncEvent(kind: string, message: string): void {
    this.log.event(JSON.stringify(this.events.append({ kind: 'config-sync', vhid: null, event: kind, cause: message })));
  }

  /** Records what the state sync reports in the event log (and on stdout and syslog). */
  stateSyncEvent(kind: string, message: string): void {
    this.log.event(JSON.stringify(this.events.append({ kind: 'state-sync', vhid: null, event: kind, cause: message })));
  }

  async start(): Promise<void> {
    mkdirSync(this.config.stateDir, { recursive: true });
    for (const v of this.config.vhids) {
      const stale = await this.io.removeStaleVips(v);
      if (stale.length) this.log.warn(`vhid ${v.vhid}@${v.interface}: removed stale ${stale.join(', ')} left by a previous run`);
    }
    if (existsSync(this.maintenanceFile)) {
      this.log.info('maintenance mode is on (persisted); this node will not become master while a peer is available');
      this.input({ type: 'maintenance', on: true });
    }
    await this.refreshAddresses();
    this.openPorts();
    this.pollLinks(true);
    this.pollTimer = setInterval(() => this.pollLinks(false), LINK_POLL_MS);
    this.refreshTimer = setInterval(() => void this.refreshAddresses(), ADDRESS_REFRESH_MS);
  }

  /** Graceful stop: masters bow out and release their VIPs. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.input({ type: 'stop' });
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.refreshTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    for (const list of this.announceTimers.values()) list.forEach(clearTimeout);
    await Promise.all(this.vipChains.values());
    for (const p of this.ports.values()) p.close();
    this.ports.clear();
  }

  input(i: CoreInput): void {
    if (this.stopped) return;
    this.pending.push(i);
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.pending.length) {
        const r = step(this.state, this.pending.shift()!, { now: performance.now(), random64: () => randomBytes(8).readBigUInt64BE() });
        this.state = r.state;
        for (const a of r.actions) this.execute(a);
      }
    } finally {
      this.busy = false;
    }
  }

  private get maintenanceFile(): string {
    return join(this.config.stateDir, 'maintenance');
  }

  private vipSet(): Set<string> {
    return new Set(this.state.vhids.flatMap((v) => v.config.vips.map((x) => parseVip(x)?.address ?? x)));
  }

  private interfacesInUse(): string[] {
    return [...new Set(this.state.vhids.map((v) => v.config.interface))];
  }

  private openPorts(): void {
    const inUse = this.interfacesInUse();
    for (const [iface, port] of this.ports) {
      if (!inUse.includes(iface)) {
        port.close();
        this.ports.delete(iface);
      }
    }
    for (const iface of inUse) {
      if (this.ports.has(iface)) continue;
      try {
        this.ports.set(
          iface,
          this.io.openPort(
            iface,
            (frame) => this.onFrame(iface, frame),
            (reason) => this.onPortLost(iface, reason),
          ),
        );
      } catch (e) {
        this.log.warn(`cannot capture on ${iface}: ${(e as Error).message}; retrying when its link comes up`);
      }
    }
  }

  /** The capture stopped under us (interface set down or removed): reopen once the link is seen up again. */
  private onPortLost(iface: string, reason: string): void {
    this.ports.delete(iface);
    this.lostPorts.add(iface);
    this.log.warn(`${reason}; capture reopens when ${iface} is up`);
  }

  private onFrame(iface: string, frame: Uint8Array): void {
    let i: CoreInput | undefined;
    try {
      i = frameToInput(iface, frame);
    } catch {
      // The decoder reports problems as values; anything thrown still must not stop the daemon.
      i = { type: 'malformed', iface, reason: 'malformed' };
    }
    if (i) this.input(i);
  }

  private pollLinks(initial: boolean): void {
    for (const iface of trackedInterfaces(this.state)) {
      const up = this.io.linkUp(iface);
      if (!initial && this.links.get(iface) === up) {
        if (up && this.lostPorts.delete(iface)) this.openPorts();
        continue;
      }
      this.lostPorts.delete(iface);
      this.links.set(iface, up);
      if (up) {
        void this.refreshAddresses().then(() => this.openPorts());
      } else {
        // The device may be deleted and re-created; capture is reopened when the link comes back.
        this.ports.get(iface)?.close();
        this.ports.delete(iface);
      }
      this.input({ type: 'link', iface, up });
    }
  }

  private async refreshAddresses(): Promise<void> {
    const vips = this.vipSet();
    for (const iface of this.interfacesInUse()) {
      const a = await this.io.interfaceAddresses(iface, vips);
      if (!a) {
        this.addrs.delete(iface);
        continue;
      }
      const before = this.addrs.get(iface);
      this.addrs.set(iface, a);
      if (JSON.stringify(before) !== JSON.stringify(a)) this.input({ type: 'interface-info', iface, info: { mac: a.mac, addresses: a.addresses } });
    }
    for (const v of this.state.vhids) {
      if (v.config.mode !== 'unicast' || v.config.peer === undefined) continue;
      const mac = await this.io.neighbourMac(v.config.interface, v.config.peer);
      if (mac) this.peerMacs.set(v.key, mac);
      else this.io.pokeNeighbour(v.config.peer);
    }
  }

  private execute(a: Action): void {
    switch (a.type) {
      case 'send-advert': {
        const port = this.ports.get(a.config.interface);
        const built = advertFrames(a.config, a.advert, this.addrs.get(a.config.interface), this.peerMacs.get(a.key));
        let error = built.ok ? undefined : built.error;
        if (built.ok) {
          if (!port) error = `not capturing on ${a.config.interface}`;
          else {
            for (const f of built.frames) {
              try {
                port.send(f);
              } catch (e) {
                error = (e as Error).message;
              }
            }
          }
        }
        if (error !== undefined || this.state.consecutiveSendErrors > 0 || this.state.demotion['send-errors']) {
          this.input({ type: 'send-result', key: a.key, ok: error === undefined, error });
        }
        return;
      }
      case 'add-vips':
        return this.chain(a.key, async () => {
          await this.stateSync?.beforeVips();
          await this.io.addVips(a.config);
          this.stateSync?.afterVips();
          // Own-address info for the new VIPs; not awaited so the announcement goes out at once.
          void this.refreshAddresses();
        });
      case 'remove-vips':
        this.cancelAnnounce(a.key);
        return this.chain(a.key, async () => {
          if (a.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, a.delayMs));
          await this.io.removeVips(a.config);
        });
      case 'announce':
        return this.chain(a.key, async () => this.announce(a.key, a.config));
      case 'set-timer': {
        const id = `${a.key}|${a.timer}`;
        clearTimeout(this.timers.get(id));
        this.timers.set(
          id,
          setTimeout(() => {
            this.timers.delete(id);
            this.input({ type: 'timer', key: a.key, timer: a.timer });
          }, a.ms),
        );
        return;
      }
      case 'clear-timer': {
        const id = `${a.key}|${a.timer}`;
        clearTimeout(this.timers.get(id));
        this.timers.delete(id);
        return;
      }
      case 'event': {
        const e = a.event;
        const recorded =
          e.kind === 'state'
            ? this.events.append({ kind: 'state', vhid: e.vhid, interface: e.interface, old: e.old, new: e.new, cause: e.cause })
            : this.events.append({ kind: 'demotion', vhid: null, old: e.old, new: e.new, cause: e.cause });
        this.log.event(JSON.stringify(recorded));
        if (e.kind === 'state') this.stateSync?.stateChanged(e.old, e.new, this.state.vhids.filter((v) => v.state === 'MASTER').length);
        if (e.kind === 'state') this.beacon?.stateChanged();
        return;
      }
      case 'hook': {
        const argv = this.config.hooks[a.state.toLowerCase() as 'master' | 'backup' | 'init'];
        if (!argv) return;
        this.io.runHook(argv, { CARP_VHID: String(a.vhid), CARP_INTERFACE: a.interface, CARP_STATE: a.state, CARP_CAUSE: a.cause }, (m) => this.log.warn(m));
        return;
      }
      case 'log':
        if (a.level === 'warn') this.log.warn(a.message);
        else this.log.info(a.message);
        return;
    }
  }

  /** VIP changes of one vhid run in order (add, then announce, then remove) whatever their durations. */
  private chain(key: string, op: () => Promise<void>): void {
    const prev = this.vipChains.get(key) ?? Promise.resolve();
    const next = prev.then(op).catch((e: Error) => this.log.warn(`vhid ${key}: ${e.message}`));
    this.vipChains.set(key, next);
  }

  private announce(key: string, config: VhidConfig): void {
    this.cancelAnnounce(key);
    const timers = ANNOUNCE_AT_MS.map((ms) =>
      setTimeout(() => {
        if (this.state.vhids.find((v) => v.key === key)?.state !== 'MASTER') return;
        const built = announceFrames(config, this.addrs.get(config.interface));
        const port = this.ports.get(config.interface);
        if (!built.ok || !port) return;
        for (const f of built.frames) {
          try {
            port.send(f);
          } catch (e) {
            this.log.warn(`vhid ${key}: gratuitous ARP/NA failed: ${(e as Error).message}`);
          }
        }
      }, ms),
    );
    this.announceTimers.set(key, timers);
  }

  private cancelAnnounce(key: string): void {
    this.announceTimers.get(key)?.forEach(clearTimeout);
    this.announceTimers.delete(key);
  }

  status(): CarpdStatus {
    const s = this.state;
    const now = performance.now();
    return {
      node: s.node,
      pid: process.pid,
      maintenance: Boolean(s.demotion.maintenance),
      demotion: totalDemotion(s),
      demotionReasons: { ...s.demotion },
      unmatched: { ...s.unmatched } as Record<string, number>,
      vhids: s.vhids.map((v) => ({
        vhid: v.config.vhid,
        interface: v.config.interface,
        state: v.state,
        advbase: v.config.advbase,
        advskew: v.config.advskew,
        advskewSent: sentAdvskew(s, v),
        demotion: totalDemotion(s),
        demote: demoteByte(s),
        preempt: v.config.preempt,
        mode: v.config.mode,
        vips: v.config.vips,
        master: v.state === 'MASTER' ? 'this node' : (v.masterAddress ?? null),
        lastHeardSecondsAgo: v.lastHeardAt === undefined ? null : Math.round((now - v.lastHeardAt) / 10) / 100,
        sent: v.counters.sent,
        received: v.counters.received,
        rejected: { ...v.counters.rejected } as Record<string, number>,
      })),
      ...(this.stateSync ? { stateSync: this.stateSync.status() } : {}),
      ...(this.configSync ? { configSync: this.configSync.status() } : {}),
      ...(this.beacon ? { beacon: this.beacon.status() } : {}),
    };
  }

  async handle(req: ParsedRequest): Promise<ControlResponse> {
    switch (req.cmd) {
      case 'status':
        return { ok: true, status: this.status() };
      case 'events':
        return { ok: true, events: this.events.since(req.since) };
      case 'maintenance':
        if (req.on) writeFileSync(this.maintenanceFile, `${JSON.stringify({ since: new Date().toISOString() })}\n`);
        else if (existsSync(this.maintenanceFile)) unlinkSync(this.maintenanceFile);
        this.input({ type: 'maintenance', on: req.on });
        return { ok: true, message: req.on ? 'maintenance mode on (persists across restarts until turned off)' : 'maintenance mode off' };
      case 'demote':
        this.input({ type: 'demote', by: req.by });
        return { ok: true, message: `manual demotion now ${this.state.demotion.manual ?? 0}; node demotion ${totalDemotion(this.state)}` };
      case 'demote-reset':
        this.input({ type: 'demote-reset' });
        return { ok: true, message: `manual demotion reset; node demotion ${totalDemotion(this.state)}` };
      case 'reload':
        return this.reload();
      case 'state-sync-resync': {
        if (!this.stateSync) return { ok: false, error: { code: 'no-state-sync', message: 'state sync is not configured (add "stateSync" to the carpd config)' } };
        const r = await this.stateSync.resync();
        return r.ok ? { ok: true, message: r.message } : { ok: false, error: { code: 'resync-failed', message: r.message } };
      }
      case 'config-sync-push':
      case 'config-sync-diff': {
        if (!this.configSync) return { ok: false, error: { code: 'no-config-sync', message: 'config sync is not configured (add "configSync" to the carpd config)' } };
        const r = req.cmd === 'config-sync-push' ? await this.configSync.push() : await this.configSync.diff();
        return r.ok ? { ok: true, message: r.message } : { ok: false, error: { code: req.cmd === 'config-sync-push' ? 'push-failed' : 'diff-failed', message: r.message } };
      }
    }
  }

  follow(send: (r: ControlResponse) => void): () => void {
    return this.events.subscribe((event) => send({ event }));
  }

  private reload(): ControlResponse {
    const r = loadConfigFile(this.configFile);
    if (!r.ok) return { ok: false, error: { code: r.error.code, message: `${r.error.message}\nnothing was changed` } };
    const next = r.config;
    for (const field of ['node', 'controlSocket', 'stateDir', 'eventLogLines', 'syslog', 'stateSync', 'configSync', 'beacon'] as const) {
      if (JSON.stringify(next[field]) !== JSON.stringify(this.config[field])) {
        return { ok: false, error: { code: 'restart-needed', message: `"${field}" changed; restart carpd to apply it (nothing was changed)` } };
      }
    }
    const before = new Map(this.state.vhids.map((v) => [v.key, JSON.stringify(v.config)]));
    this.config = next;
    this.input({ type: 'reload', vhids: next.vhids, trackInterfaces: next.trackInterfaces });
    const after = this.state.vhids.map((v) => v.key);
    const added = after.filter((k) => !before.has(k));
    const changed = this.state.vhids.filter((v) => before.has(v.key) && before.get(v.key) !== JSON.stringify(v.config)).map((v) => v.key);
    const removed = [...before.keys()].filter((k) => !after.includes(k));
    this.openPorts();
    void this.refreshAddresses();
    this.pollLinks(true);
    for (const w of r.warnings) this.log.warn(w);
    const parts = [added.length && `added ${added.join(', ')}`, changed.length && `restarted ${changed.join(', ')}`, removed.length && `removed ${removed.join(', ')}`].filter(Boolean);
    return { ok: true, message: parts.length ? `reloaded: ${parts.join('; ')}` : 'reloaded: no vhid changed' };
  }

}
