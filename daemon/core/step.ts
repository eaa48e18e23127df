import { decide, type Advertised } from './election.js';
import { validatePacket } from './receive.js';
import { newVhidRuntime, trackedInterfaces } from './state.js';
import { BOWOUT, DEMOTION_STEP, advertIntervalMs, demoteByte, masterDownMs, seconds, sentAdvskew, totalDemotion } from './timing.js';
import type { Action, CarpState, CoreInput, CoreState, DemotionReason, ReceivedPacket, StepContext, StepResult, VhidRuntime } from './types.js';

const COUNTER_MASK = (1n << 64n) - 1n;
const AUTH_WARN_INTERVAL_MS = 10_000;
const SEND_ERROR_LIMIT = 3;
/** A backup claims the VIPs within a few ms of a bow-out; keeping them that long avoids any gap for clients. */
export const RELEASE_AFTER_BOWOUT_MS = 150;

/**
 * The protocol core: (state, input) -> (new state, actions). Pure: the input state is not modified, time and
 * randomness come from the context, and every effect is an action for the I/O shell to execute.
 */
export function step(state: CoreState, input: CoreInput, ctx: StepContext): StepResult {
  const s = copyState(state);
  const r = new Run(s, ctx);
  r.handle(input);
  return { state: s, actions: r.out };
}

/** Copies everything a step may change; configs and interface info are replaced, never mutated, so they are shared. */
function copyState(s: CoreState): CoreState {
  return {
    ...s,
    vhids: s.vhids.map((v) => ({ ...v, counters: { ...v.counters, rejected: { ...v.counters.rejected } } })),
    demotion: { ...s.demotion },
    links: { ...s.links },
    interfaces: { ...s.interfaces },
    unmatched: { ...s.unmatched },
  };
}

class Run {
  readonly out: Action[] = [];
  constructor(
    readonly s: CoreState,
    readonly ctx: StepContext,
  ) {}

  handle(input: CoreInput): void {
    switch (input.type) {
      case 'packet':
        return this.packet(input.packet);
      case 'malformed':
        this.s.unmatched[input.reason] = (this.s.unmatched[input.reason] ?? 0) + 1;
        return;
      case 'timer':
        return this.timer(input.key, input.timer);
      case 'link':
        return this.link(input.iface, input.up);
      case 'interface-info':
        this.s.interfaces[input.iface] = input.info;
        return;
      case 'send-result':
        return this.sendResult(input.key, input.ok, input.error);
      case 'maintenance':
        return this.maintenance(input.on);
      case 'demote': {
        const manual = Math.max(0, (this.s.demotion.manual ?? 0) + input.by);
        return this.setDemotion('manual', manual, `manual demotion ${input.by >= 0 ? '+' : ''}${input.by}`);
      }
      case 'demote-reset':
        return this.setDemotion('manual', 0, 'manual demotion reset');
      case 'set-demotion':
        return this.setDemotion(input.reason, Math.max(0, input.amount), input.why ?? input.reason);
      case 'stop':
        for (const v of this.s.vhids) {
          const wasMaster = v.state === 'MASTER';
          if (wasMaster) this.bowOut(v);
          this.goInit(v, wasMaster ? 'carpd stopping: bowed out (advbase 255, advskew 255)' : 'carpd stopping', wasMaster);
        }
        return;
      case 'reload':
        return this.reload(input.vhids, input.trackInterfaces);
    }
  }

  private find(key: string): VhidRuntime | undefined {
    return this.s.vhids.find((v) => v.key === key);
  }

  private mine(v: VhidRuntime): Advertised {
    return { demote: demoteByte(this.s), advbase: v.config.advbase, advskew: sentAdvskew(this.s, v) };
  }

  private packet(p: ReceivedPacket): void {
    const verdict = validatePacket(this.s, p);
    if (!verdict.ok) {
      const v = verdict.index === undefined ? undefined : this.s.vhids[verdict.index];
      const bucket = v ? v.counters.rejected : this.s.unmatched;
      bucket[verdict.reason] = (bucket[verdict.reason] ?? 0) + 1;
      if (v && verdict.reason === 'bad-auth') this.warnAuth(v, p.ip.src);
      return;
    }
    const v = this.s.vhids[verdict.index];
    v.counters.received++;
    v.counter = p.carp.counter;
    v.counterInit = false;
    const d = decide(v.state, this.mine(v), v.config.preempt, p.carp, p.ip.src);
    if (d.kind === 'restart-master-down') this.out.push({ type: 'set-timer', key: v.key, timer: 'master-down', ms: masterDownMs(this.s, v) });
    else if (d.kind === 'become-backup') {
      const cause = v.yielding ? `maintenance mode on: bowed out, and ${p.ip.src} took over` : d.cause;
      this.becomeBackup(v, cause, v.yielding === true, d.tie ? this.tieWaitMs(v) : 0);
    }
    else if (d.kind === 'become-master') this.becomeMaster(v, d.cause);
    else if (d.kind === 'reassert') this.out.push({ type: 'announce', key: v.key, config: v.config });
    if (v.state === 'BACKUP') {
      v.lastHeardAt = this.ctx.now;
      v.lastHeardFrom = p.ip.src;
      v.masterAddress = p.ip.src;
    }
  }

  private warnAuth(v: VhidRuntime, from: string): void {
    if (v.authWarnAt !== undefined && this.ctx.now - v.authWarnAt < AUTH_WARN_INTERVAL_MS) {
      v.authWarnSuppressed++;
      return;
    }
    const more = v.authWarnSuppressed ? ` (${v.authWarnSuppressed} more since the last message)` : '';
    v.authWarnAt = this.ctx.now;
    v.authWarnSuppressed = 0;
    this.out.push({
      type: 'log',
      level: 'warn',
      message: `vhid ${v.key}: ignored an advertisement from ${from} that fails authentication (different password or VIP set)${more}`,
    });
  }

  private timer(key: string, timer: 'advert' | 'master-down'): void {
    const v = this.find(key);
    if (!v) return;
    if (timer === 'advert' && v.state === 'MASTER') {
      this.sendAdvert(v);
      this.out.push({ type: 'set-timer', key, timer: 'advert', ms: advertIntervalMs(this.s, v) });
    } else if (timer === 'master-down' && v.state === 'BACKUP') {
      const cause =
        v.lastHeardAt !== undefined && v.lastHeardFrom !== undefined
          ? `no advertisement from ${v.lastHeardFrom} for ${seconds(this.ctx.now - v.lastHeardAt)} s`
          : `no advertisement heard for ${seconds(this.ctx.now - (v.backupSince ?? this.ctx.now))} s`;
      this.becomeMaster(v, cause);
    }
  }

  /**
   * Link down: the interface's vhids go INIT first, so only masters elsewhere advertise the new demotion. Link up:
   * the demotion goes first, so the returning vhids wait the undemoted master-down interval.
   */
  private link(iface: string, up: boolean): void {
    const was = this.s.links[iface];
    this.s.links[iface] = up;
    const demotionChanges = trackedInterfaces(this.s).includes(iface) && was !== up;
    if (up && demotionChanges) this.setDemotion(`link:${iface}`, 0, `link up on ${iface}`);
    for (const v of this.s.vhids) {
      if (v.config.interface !== iface) continue;
      if (up && v.state === 'INIT') this.becomeBackup(v, `link up on ${iface}`);
      if (!up && v.state !== 'INIT') this.goInit(v, `link down on ${iface}`);
    }
    if (!up && demotionChanges) this.setDemotion(`link:${iface}`, DEMOTION_STEP, `link down on ${iface}`);
  }

  private sendResult(key: string, ok: boolean, error?: string): void {
    const s = this.s;
    if (ok) {
      s.consecutiveSendErrors = 0;
      s.consecutiveSendOk++;
      if (s.demotion['send-errors'] && s.consecutiveSendOk >= SEND_ERROR_LIMIT) this.setDemotion('send-errors', 0, `${SEND_ERROR_LIMIT} advertisements sent`);
      return;
    }
    s.consecutiveSendOk = 0;
    s.consecutiveSendErrors++;
    if (s.consecutiveSendErrors === 1) this.out.push({ type: 'log', level: 'warn', message: `vhid ${key}: sending an advertisement failed: ${error ?? 'unknown error'}` });
    if (s.consecutiveSendErrors >= SEND_ERROR_LIMIT && !s.demotion['send-errors']) {
      this.setDemotion('send-errors', DEMOTION_STEP, `${SEND_ERROR_LIMIT} advertisement send errors in a row (last: ${error ?? 'unknown error'})`);
    }
  }

  private maintenance(on: boolean): void {
    if (on === Boolean(this.s.demotion.maintenance)) return;
    if (!on) {
      for (const v of this.s.vhids) v.yielding = undefined;
      return this.setDemotion('maintenance', 0, 'maintenance mode off');
    }
    const old = totalDemotion(this.s);
    this.s.demotion.maintenance = DEMOTION_STEP;
    for (const v of this.s.vhids) {
      if (v.state !== 'MASTER') continue;
      // A backup takes over at once on the bow-out; its first advert then moves this node to BACKUP. Until one does,
      // this node keeps the VIPs and advertises demoted: with no peer to take them, maintenance must not drop them.
      this.bowOut(v);
      v.yielding = true;
      this.out.push({ type: 'set-timer', key: v.key, timer: 'advert', ms: advertIntervalMs(this.s, v) });
      this.out.push({ type: 'log', level: 'info', message: `vhid ${v.key}: maintenance: bowed out; keeping the VIPs until a peer takes over` });
    }
    this.demotionEvent(old, 'maintenance mode on');
  }

  /** Sets one demotion reason; a change of the total is an event and masters advertise the new skew at once. */
  private setDemotion(reason: DemotionReason, amount: number, cause: string): void {
    const old = totalDemotion(this.s);
    if (amount === 0) delete this.s.demotion[reason];
    else this.s.demotion[reason] = amount;
    if (totalDemotion(this.s) === old) return;
    this.demotionEvent(old, cause);
    for (const v of this.s.vhids) {
      if (v.state !== 'MASTER') continue;
      this.sendAdvert(v);
      this.out.push({ type: 'set-timer', key: v.key, timer: 'advert', ms: advertIntervalMs(this.s, v) });
    }
  }

  private demotionEvent(old: number, cause: string): void {
    const now = totalDemotion(this.s);
    if (now === old) return;
    const verb = now > old ? `demoted by ${now - old}` : `promoted by ${old - now}`;
    this.out.push({ type: 'event', event: { kind: 'demotion', old, new: now, cause: `${verb} to ${now} (${cause})` } });
  }

  private reload(vhids: CoreState['vhids'][number]['config'][], track: string[]): void {
    const next: VhidRuntime[] = [];
    const incoming = new Map(vhids.map((c) => [newVhidRuntime(c).key, c]));
    for (const v of this.s.vhids) {
      const c = incoming.get(v.key);
      if (c && JSON.stringify(c) === JSON.stringify(v.config)) {
        next.push(v);
        incoming.delete(v.key);
        continue;
      }
      const wasMaster = v.state === 'MASTER';
      if (wasMaster) this.bowOut(v);
      this.goInit(v, c ? 'configuration changed by reload' : 'removed from the configuration by reload', wasMaster);
    }
    const added: VhidRuntime[] = [];
    for (const c of vhids) if (incoming.has(newVhidRuntime(c).key)) added.push(newVhidRuntime(c));
    const order = new Map(vhids.map((c, i) => [newVhidRuntime(c).key, i]));
    this.s.vhids = [...next, ...added].sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
    this.s.trackInterfaces = track;
    const tracked = trackedInterfaces(this.s);
    for (const reason of Object.keys(this.s.demotion)) {
      if (reason.startsWith('link:') && !tracked.includes(reason.slice(5))) this.setDemotion(reason, 0, `${reason.slice(5)} no longer tracked`);
    }
    for (const iface of tracked) {
      if (this.s.links[iface] === false && !this.s.demotion[`link:${iface}`]) this.setDemotion(`link:${iface}`, DEMOTION_STEP, `link down on ${iface}`);
    }
    for (const v of added) {
      this.out.push({ type: 'log', level: 'info', message: `vhid ${v.key}: ${this.s.links[v.config.interface] ? 'added' : 'added, waiting for link'}` });
      if (this.s.links[v.config.interface]) this.becomeBackup(v, 'configured by reload');
    }
  }

  private sendAdvert(v: VhidRuntime, bowOut = false): void {
    v.counter = v.counterInit ? this.ctx.random64() & COUNTER_MASK : (v.counter + 1n) & COUNTER_MASK;
    v.counters.sent++;
    this.out.push({
      type: 'send-advert',
      key: v.key,
      config: v.config,
      advert: {
        vhid: v.config.vhid,
        advbase: bowOut ? BOWOUT : v.config.advbase,
        advskew: bowOut ? BOWOUT : sentAdvskew(this.s, v),
        demote: demoteByte(this.s),
        counter: v.counter,
      },
    });
  }

  private bowOut(v: VhidRuntime): void {
    this.sendAdvert(v, true);
  }

  private transition(v: VhidRuntime, to: CarpState, cause: string): void {
    const old = v.state;
    v.state = to;
    v.yielding = undefined;
    this.out.push({ type: 'event', event: { kind: 'state', vhid: v.config.vhid, interface: v.config.interface, old, new: to, cause: `${old} -> ${to}: ${cause}` } });
    this.out.push({ type: 'hook', key: v.key, vhid: v.config.vhid, interface: v.config.interface, state: to, cause });
  }

  /** The advert and the VIPs come first: logging and hooks (which may fork) must not delay the takeover. */
  private becomeMaster(v: VhidRuntime, cause: string): void {
    this.out.push({ type: 'clear-timer', key: v.key, timer: 'master-down' });
    this.sendAdvert(v);
    this.out.push({ type: 'add-vips', key: v.key, config: v.config }, { type: 'announce', key: v.key, config: v.config });
    this.out.push({ type: 'set-timer', key: v.key, timer: 'advert', ms: advertIntervalMs(this.s, v) });
    this.transition(v, 'MASTER', cause);
    v.masterAddress = undefined;
    v.lastHeardAt = undefined;
    v.lastHeardFrom = undefined;
  }

  /** After a bow-out the VIPs are released a little later, once the peer has claimed them (make before break). */
  private release(v: VhidRuntime, afterBowOut: boolean): Action {
    return { type: 'remove-vips', key: v.key, config: v.config, delayMs: afterBowOut ? RELEASE_AFTER_BOWOUT_MS : 0 };
  }

  /**
   * Two nodes with identical values that start together advertise at the same moment, their adverts cross, both
   * yield and their master-down timers expire together again, for ever. A random extra wait of up to a quarter
   * advbase after a tie lets one of them expire first; its advert then holds the other in BACKUP.
   */
  private tieWaitMs(v: VhidRuntime): number {
    return Number(this.ctx.random64() % 1024n) * v.config.advbase * 250 / 1024;
  }

  private becomeBackup(v: VhidRuntime, cause: string, afterBowOut = false, extraWaitMs = 0): void {
    if (v.state === 'MASTER') {
      this.out.push({ type: 'clear-timer', key: v.key, timer: 'advert' }, this.release(v, afterBowOut));
    }
    this.transition(v, 'BACKUP', cause);
    v.backupSince = this.ctx.now;
    v.lastHeardAt = undefined;
    v.lastHeardFrom = undefined;
    v.masterAddress = undefined;
    this.out.push({ type: 'set-timer', key: v.key, timer: 'master-down', ms: masterDownMs(this.s, v) + extraWaitMs });
  }

  private goInit(v: VhidRuntime, cause: string, afterBowOut = false): void {
    this.out.push({ type: 'clear-timer', key: v.key, timer: 'advert' }, { type: 'clear-timer', key: v.key, timer: 'master-down' });
    if (v.state === 'MASTER') this.out.push(this.release(v, afterBowOut));
    if (v.state !== 'INIT') this.transition(v, 'INIT', cause);
    v.masterAddress = undefined;
  }
}
