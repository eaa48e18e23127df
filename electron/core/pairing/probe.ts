// The drill's probe: a ping through the VIP every 20 ms and one long TCP flow (a line echoed every 50 ms), both from
// a host on the LAN. In the lab that host is a network namespace (the lab's client towards its server; `ip netns
// exec`, root); on a real site it is this computer on the LAN (`kind: 'local'`) towards a target behind the firewall
// (the flow needs a TCP echo service there, e.g. `ncat -lk 7777 --exec /bin/cat`).
import { spawn, type ChildProcess } from 'node:child_process';

export type ProbeSpec =
  | { kind: 'netns'; namespace: string; target: string; intervalMs?: number; flow?: { port: number; serverNamespace?: string } }
  | { kind: 'local'; target: string; intervalMs?: number; flow?: { port: number } };

const ECHO_SERVER = `require('net').createServer((s) => { s.on('error', () => {}); s.pipe(s); }).listen(Number(process.argv[1]), '0.0.0.0', () => console.log('listening'));`;
const FLOW_CLIENT = `const s = require('net').connect(Number(process.argv[2]), process.argv[1]); let n = 0, carry = '';
s.setNoDelay(true);
s.on('connect', () => { console.log('C ' + Date.now()); setInterval(() => s.write((++n) + '\\n'), 50); });
s.on('data', (d) => { const p = (carry + d).split('\\n'); carry = p.pop(); for (const x of p) console.log('E ' + x + ' ' + Date.now()); });
s.on('error', (e) => { console.log('X ' + (e.code || e.message) + ' ' + Date.now()); process.exit(1); });
s.on('close', () => { console.log('X closed ' + Date.now()); process.exit(1); });`;

function launch(namespace: string | undefined, argv: string[]): ChildProcess {
  const full = namespace ? ['ip', 'netns', 'exec', namespace, ...argv] : argv;
  return spawn(full[0], full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
}

function onLines(child: ChildProcess, fn: (line: string) => void): void {
  let carry = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    const parts = (carry + d).split('\n');
    carry = parts.pop() ?? '';
    parts.forEach(fn);
  });
}

export interface ProbeRecord {
  /** Reply arrival times (epoch ms). */
  replies: number[];
  /** icmp_seq reported without an answer, with the time it was reported. */
  outstanding: Map<number, number>;
  answered: Set<number>;
  /** Echo arrival times of the current flow, and when flows broke. */
  echoes: number[];
  breaks: { time: number; reason: string }[];
}

export class Probe {
  readonly record: ProbeRecord = { replies: [], outstanding: new Map(), answered: new Set(), echoes: [], breaks: [] };
  private readonly children: ChildProcess[] = [];
  private flow: ChildProcess | undefined;
  private flowAlive = false;

  constructor(readonly spec: ProbeSpec) {}

  private get ns(): string | undefined {
    return this.spec.kind === 'netns' ? this.spec.namespace : undefined;
  }

  async start(): Promise<void> {
    const interval = (this.spec.intervalMs ?? 20) / 1000;
    const ping = launch(this.ns, ['ping', '-n', '-D', '-O', '-i', String(interval), '-W', '1', this.spec.target]);
    this.children.push(ping);
    onLines(ping, (line) => {
      const reply = /^\[(\d+\.\d+)\] \d+ bytes from .*icmp_seq=(\d+)/.exec(line);
      if (reply) {
        this.record.replies.push(Math.round(Number(reply[1]) * 1000));
        this.record.answered.add(Number(reply[2]));
        return;
      }
      const none = /^\[(\d+\.\d+)\] no answer yet for icmp_seq=(\d+)/.exec(line);
      if (none) this.record.outstanding.set(Number(none[2]), Math.round(Number(none[1]) * 1000));
    });
    const flow = this.spec.flow;
    if (flow && this.spec.kind === 'netns' && this.spec.flow?.serverNamespace) {
      const server = launch(this.spec.flow.serverNamespace, [process.execPath, '-e', ECHO_SERVER, String(flow.port)]);
      this.children.push(server);
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`the drill's TCP echo server did not start in ${this.spec.kind === 'netns' ? this.spec.flow?.serverNamespace : ''}`)), 5000);
        onLines(server, (l) => l === 'listening' && (clearTimeout(t), resolve()));
      });
    }
    await this.ensureFlow();
    await this.waitFor(() => this.record.replies.length >= 5 && (!flow || this.record.echoes.length >= 5), 5000, `no answer through the VIP from ${this.spec.target}: the probe host cannot reach it (check its route via the VIP)`);
  }

  /** Starts a new flow when the last one broke (each drill phase is measured on a live flow). */
  async ensureFlow(): Promise<void> {
    const flow = this.spec.flow;
    if (!flow || this.flowAlive) return;
    const child = launch(this.ns, [process.execPath, '-e', FLOW_CLIENT, this.spec.target, String(flow.port)]);
    this.children.push(child);
    this.flow = child;
    this.flowAlive = true;
    onLines(child, (line) => {
      const e = /^E \d+ (\d+)$/.exec(line);
      if (e && this.flow === child) this.record.echoes.push(Number(e[1]));
      const x = /^X (\S+) (\d+)$/.exec(line);
      if (x) {
        this.record.breaks.push({ time: Number(x[2]), reason: x[1] });
        if (this.flow === child) this.flowAlive = false;
      }
    });
    child.on('exit', () => {
      if (this.flow === child && this.flowAlive) {
        this.flowAlive = false;
        this.record.breaks.push({ time: Date.now(), reason: 'exited' });
      }
    });
    const since = Date.now();
    await this.waitFor(() => this.record.echoes.some((t) => t >= since) || !this.flowAlive, 5000, `the TCP flow to ${this.spec.target}:${flow.port} gets no echo`);
  }

  get hasFlow(): boolean {
    return this.spec.flow !== undefined;
  }

  private async waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new ProbeError(what);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  stop(): void {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGTERM');
  }
}

export class ProbeError extends Error {
  readonly code = 'probe-failed';
  readonly where = 'drill probe';
  constructor(message: string) {
    super(message);
    this.name = 'ProbeError';
  }
}

/** Longest time without a reply within [from, to]: from the last reply before `from` on, up to `to` (an outage still
 * going on at `to` counts up to `to`). */
export function longestGap(times: readonly number[], from: number, to: number): number {
  let prev = from;
  for (const t of times) if (t < from) prev = t;
  let worst = 0;
  for (const t of times) {
    if (t < from || t > to) continue;
    worst = Math.max(worst, t - prev);
    prev = t;
  }
  return Math.max(worst, to - prev);
}

/** Probes reported unanswered in [from, to] that never got an answer. */
export function lostBetween(r: ProbeRecord, from: number, to: number): number {
  let n = 0;
  for (const [seq, at] of r.outstanding) if (at >= from && at <= to && !r.answered.has(seq)) n++;
  return n;
}

/** True when the flow kept echoing across [from, to]: no break in it and an echo after `to`'s handover. */
export function flowSurvived(r: ProbeRecord, from: number, to: number): boolean {
  return !r.breaks.some((b) => b.time >= from && b.time <= to) && r.echoes.some((t) => t > to - 1000 && t <= to);
}
