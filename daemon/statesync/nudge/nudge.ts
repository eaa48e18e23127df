// After a takeover, TCP endpoints whose packets were lost during the outage sit in exponential retransmission
// backoff (the next try may be seconds away). For each established flow the new master asks both ends for their
// ACK number (an out-of-window probe, RFC 793 makes them answer), which is the other end's oldest unacknowledged
// sequence number, and then quotes it in ICMP host-unreachable messages so each end retransmits at once (RFC 6069).
import type { ExecResult } from '../deps.js';
import { parseEstablishedTcp, type FlowSide } from './conntrack.js';
import { ethernetFrame, icmpHostUnreachable, macBytes, parseTcpAck, tcpPacket, TCP_ACK, type Endpoint } from './frames.js';

export interface NudgePort {
  send(frame: Uint8Array): void;
  close(): void;
}

export interface NudgeIo {
  exec(argv: readonly string[], timeoutMs: number): Promise<ExecResult>;
  /** Captures what `filter` (pcap syntax) lets through on `iface` and sends frames on it. */
  open(iface: string, filter: string, onFrame: (frame: Uint8Array) => void): NudgePort;
  sleep(ms: number): Promise<void>;
}

export interface NudgeResult {
  flows: number;
  /** Sides whose ACK number was learnt and that were sent the ICMP messages. */
  nudged: number;
  errors: string[];
}

/** Each message reverts one backoff step; after a 3-4 s outage Linux needs 3 or 4 to reach an expired timeout. */
const ICMP_PER_SIDE = 6;
const ANSWER_WAIT_MS = 300;
/** Probes sent between two turns of the event loop, in which the answers captured so far are read. */
const PROBE_BATCH = 64;

/**
 * Only bare ACKs (what an endpoint answers a probe with) that this node did not send: everything else would fill the
 * capture buffer (forwarded traffic, our own probes) and crowd out the answers.
 */
export function answerFilter(mac: Uint8Array): string {
  const own = [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
  return `tcp and not ether src ${own} and tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) == 0 and ip[2:2] - ((ip[0] & 0xf) << 2) - ((tcp[12] & 0xf0) >> 2) == 0`;
}

interface Route {
  iface: string;
  src: string;
  mac: Uint8Array;
  nextHopMac: Uint8Array;
}

const key = (from: Endpoint, to: Endpoint) => `${from.ip}:${from.port}>${to.ip}:${to.port}`;

async function routeTo(io: NudgeIo, ip: string, macs: Map<string, Uint8Array | null>): Promise<Route | string> {
  const r = await io.exec(['ip', '-j', 'route', 'get', ip], 2000);
  let route: { dev?: string; prefsrc?: string; gateway?: string } | undefined;
  try {
    route = (JSON.parse(r.stdout) as { dev?: string; prefsrc?: string; gateway?: string }[])[0];
  } catch {
    return `no route to ${ip}`;
  }
  if (!route?.dev || !route.prefsrc) return `no route to ${ip}`;
  const hop = route.gateway ?? ip;
  if (!macs.has(hop)) macs.set(hop, await neighbourMac(io, route.dev, hop));
  if (!macs.has(`if:${route.dev}`)) {
    const link = await io.exec(['ip', '-j', 'link', 'show', 'dev', route.dev], 2000);
    const addr = /"address":"([0-9a-f:]{17})"/.exec(link.stdout)?.[1];
    macs.set(`if:${route.dev}`, addr ? macBytes(addr) : null);
  }
  const nextHopMac = macs.get(hop);
  const mac = macs.get(`if:${route.dev}`);
  if (!nextHopMac || !mac) return `no MAC address for ${hop} on ${route.dev}`;
  return { iface: route.dev, src: route.prefsrc, mac, nextHopMac };
}

async function neighbourMac(io: NudgeIo, iface: string, ip: string): Promise<Uint8Array | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await io.exec(['ip', '-j', 'neigh', 'show', ip, 'dev', iface], 2000);
    const mac = /"lladdr":"([0-9a-f:]{17})"/.exec(r.stdout)?.[1];
    if (mac && !/"state":\["FAILED"\]/.test(r.stdout)) return macBytes(mac);
    if (attempt === 0) await io.exec(['ping', '-n', '-q', '-c', '1', '-W', '1', '-I', iface, ip], 2000);
  }
  return null;
}

export async function nudgeTcpFlows(io: NudgeIo): Promise<NudgeResult> {
  const listed = await io.exec(['conntrack', '-L', '-p', 'tcp', '--state', 'ESTABLISHED'], 5000);
  if (listed.code !== 0) return { flows: 0, nudged: 0, errors: [`conntrack -L failed: ${listed.stderr}`] };
  const flows = parseEstablishedTcp(listed.stdout);
  const sides: { side: FlowSide; other: FlowSide }[] = flows.flatMap((f) => [
    { side: f.initiator, other: f.responder },
    { side: f.responder, other: f.initiator },
  ]);
  const errors = new Set<string>();
  const macs = new Map<string, Uint8Array | null>();
  const routes = new Map<string, Route | string>();
  for (const { side } of sides) if (!routes.has(side.self.ip)) routes.set(side.self.ip, await routeTo(io, side.self.ip, macs));

  const acks = new Map<string, number>();
  const ports = new Map<string, NudgePort>();
  let id = Math.floor(Math.random() * 0x10000);
  try {
    for (const route of routes.values()) {
      if (typeof route === 'string') errors.add(route);
      else if (!ports.has(route.iface)) {
        const own = route.mac;
        ports.set(route.iface, io.open(route.iface, answerFilter(own), (frame) => {
          // Our own probes and the copies of forwarded packets we send out carry our MAC (the filter drops them too).
          if (own.every((b, i) => frame[6 + i] === b)) return;
          const a = parseTcpAck(frame);
          if (a) acks.set(key(a.from, a.to), a.ack);
        }));
      }
    }
    const send = (route: Route, packet: Uint8Array) => ports.get(route.iface)!.send(ethernetFrame(route.nextHopMac, route.mac, packet));
    for (let i = 0; i < sides.length; i++) {
      const { side } = sides[i];
      const route = routes.get(side.self.ip);
      // Sequence number 0 with the peer's address: out of window, so the endpoint answers with a bare ACK.
      if (typeof route !== 'string' && route) send(route, tcpPacket(side.peer, side.self, 0, 0, TCP_ACK, id++));
      if (i % PROBE_BATCH === PROBE_BATCH - 1) await io.sleep(0);
    }
    const deadline = ANSWER_WAIT_MS / 10;
    for (let i = 0; i < deadline && acks.size < sides.length; i++) await io.sleep(10);
    let nudged = 0;
    for (const { side, other } of sides) {
      const route = routes.get(side.self.ip);
      // What the other end acknowledges is this end's oldest unacknowledged byte.
      const una = acks.get(key(other.self, other.peer));
      if (typeof route === 'string' || !route || una === undefined) continue;
      const quoted = tcpPacket(side.self, side.peer, una, 0, TCP_ACK, id++);
      for (let i = 0; i < ICMP_PER_SIDE; i++) send(route, icmpHostUnreachable(route.src, side.self.ip, quoted, id++));
      nudged++;
    }
    return { flows: flows.length, nudged, errors: [...errors] };
  } finally {
    for (const p of ports.values()) p.close();
  }
}
