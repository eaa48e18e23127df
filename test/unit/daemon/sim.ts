import { carpHmac } from '../../../shared/protocol/carp-hmac.js';
import type { CarpAdvert } from '../../../shared/protocol/types.js';
import { parseIp } from '../../../shared/util/addr.js';
import { configSchema, type VhidConfig } from '../../../daemon/config/schema.js';
import { vipAddresses } from '../../../daemon/core/receive.js';
import { newCoreState } from '../../../daemon/core/state.js';
import { step } from '../../../daemon/core/step.js';
import type { Action, AdvertToSend, CoreEvent, CoreInput, CoreState, ReceivedPacket } from '../../../daemon/core/types.js';

export type VhidInput = Partial<VhidConfig> & { vhid: number; interface: string; vips: string[] };

export function vhidConfig(v: VhidInput): VhidConfig {
  const c = configSchema.parse({ node: 'x', vhids: [{ password: 'secret', ...v }] });
  return c.vhids[0];
}

export function advert(v: VhidConfig, fields: Partial<CarpAdvert> & { counter?: bigint }, password = v.password): CarpAdvert {
  const counter = fields.counter ?? 1n;
  return {
    kind: 'carp',
    version: 2,
    type: 1,
    vhid: v.vhid,
    advskew: 0,
    authlen: 7,
    demote: 0,
    advbase: 1,
    checksum: 0,
    checksumOk: true,
    hmac: carpHmac(password, v.vhid, vipAddresses(v), counter),
    ...fields,
    counter,
  };
}

export function packet(iface: string, src: string, carp: CarpAdvert, ttl = 255, srcMac = '02:00:00:00:00:99'): ReceivedPacket {
  const family = src.includes(':') ? 6 : 4;
  const dst = family === 4 ? '224.0.0.18' : 'ff02::12';
  return {
    iface,
    srcMac,
    carp,
    ip: { family, src, dst, ttl, tos: 0x10, protocol: 112, srcBytes: parseIp(src)!, dstBytes: parseIp(dst)! },
  };
}

interface SimNode {
  name: string;
  address: string;
  state: CoreState;
  timers: Map<string, number>;
  vips: Set<string>;
  events: { at: number; event: CoreEvent }[];
  sent: { at: number; key: string; advert: AdvertToSend }[];
  logs: string[];
  alive: boolean;
}

/** Several protocol cores on one simulated segment with virtual time; adverts reach every other live node. */
export class Sim {
  now = 0;
  readonly nodes: SimNode[] = [];
  private queue: { to: SimNode; input: CoreInput }[] = [];
  /** Packets on the wire when latencyMs > 0: delivered by run() at their arrival time. */
  private inFlight: { at: number; to: SimNode; input: CoreInput }[] = [];
  private seed = 1n;

  /** 0 delivers an advert within the step that sent it; more lets adverts cross on the wire. */
  constructor(readonly latencyMs = 0) {}

  add(name: string, address: string, vhids: VhidInput[], track: string[] = []): SimNode {
    const node: SimNode = {
      name,
      address,
      state: newCoreState(name, vhids.map(vhidConfig), track),
      timers: new Map(),
      vips: new Set(),
      events: [],
      sent: [],
      logs: [],
      alive: true,
    };
    this.nodes.push(node);
    return node;
  }

  node(name: string): SimNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  input(node: SimNode, input: CoreInput): Action[] {
    const r = step(node.state, input, { now: this.now, random64: () => (this.seed = this.seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n) });
    node.state = r.state;
    for (const a of r.actions) this.apply(node, a);
    this.drain();
    return r.actions;
  }

  /** Brings every interface of a node up (what the shell does at start). */
  start(node: SimNode): void {
    for (const iface of new Set(node.state.vhids.map((v) => v.config.interface))) this.input(node, { type: 'link', iface, up: true });
  }

  /** The node vanishes (SIGKILL): no more adverts, timers or inputs. */
  kill(node: SimNode): void {
    node.alive = false;
    node.timers.clear();
  }

  stateOf(node: SimNode, key: string): string | undefined {
    return node.state.vhids.find((v) => v.key === key)?.state;
  }

  run(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      let next: { node: SimNode; id: string; at: number } | undefined;
      for (const node of this.nodes) {
        if (!node.alive) continue;
        for (const [id, at] of node.timers) if (at <= until && (!next || at < next.at)) next = { node, id, at };
      }
      const arrival = this.inFlight.reduce<number>((min, p) => Math.min(min, p.at), Infinity);
      if (arrival <= until && (!next || arrival <= next.at)) {
        this.now = arrival;
        const due = this.inFlight.filter((p) => p.at === arrival);
        this.inFlight = this.inFlight.filter((p) => p.at !== arrival);
        for (const p of due) if (p.to.alive) this.input(p.to, p.input);
        continue;
      }
      if (!next) break;
      this.now = next.at;
      next.node.timers.delete(next.id);
      const [key, timer] = next.id.split('|');
      this.input(next.node, { type: 'timer', key, timer: timer as 'advert' | 'master-down' });
    }
    this.now = until;
  }

  private apply(node: SimNode, a: Action): void {
    switch (a.type) {
      case 'set-timer':
        node.timers.set(`${a.key}|${a.timer}`, this.now + a.ms);
        return;
      case 'clear-timer':
        node.timers.delete(`${a.key}|${a.timer}`);
        return;
      case 'add-vips':
        node.vips.add(a.key);
        return;
      case 'remove-vips':
        node.vips.delete(a.key);
        return;
      case 'event':
        node.events.push({ at: this.now, event: a.event });
        return;
      case 'log':
        node.logs.push(a.message);
        return;
      case 'send-advert': {
        node.sent.push({ at: this.now, key: a.key, advert: a.advert });
        const iface = a.config.interface;
        if (node.state.links[iface] === false) return;
        const carp = advert(a.config, { ...a.advert });
        for (const other of this.nodes) {
          if (other === node || !other.alive || other.state.links[iface] === false) continue;
          const input: CoreInput = { type: 'packet', packet: packet(iface, node.address, carp) };
          if (this.latencyMs > 0) this.inFlight.push({ at: this.now + this.latencyMs, to: other, input });
          else this.queue.push({ to: other, input });
        }
        return;
      }
      default:
        return;
    }
  }

  private drain(): void {
    while (this.queue.length) {
      const { to, input } = this.queue.shift()!;
      if (to.alive) this.input(to, input);
    }
  }
}
