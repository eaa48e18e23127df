// A client's view of a VIP: ping every 20 ms and turn missing replies into outage windows.
import { join } from 'node:path';
import type { Lab, LabNode } from './lab.js';

export interface Outage {
  /** Unix time (s) of the last reply before the gap. */
  start: number;
  /** Unix time (s) of the first reply after the gap, or of the stop when the gap was still open. */
  end: number;
  seconds: number;
  /** True when no reply came back before the pinger was stopped. */
  open: boolean;
}

export interface PingReport {
  sent: number;
  received: number;
  outages: Outage[];
  /** The longest outage in seconds (0 when there was none). */
  longest: number;
}

export interface Pinger {
  /** Replies so far (for waiting until the VIP answers before a drill). */
  received(): number;
  /** Resolves once a reply sent after this call has arrived (or rejects after timeoutMs). */
  waitForReply(timeoutMs?: number): Promise<void>;
  stop(): Promise<PingReport>;
}

export const PING_INTERVAL_S = 0.02;
let pingers = 0;
const REPLY = /^\[(\d+\.\d+)\] \d+ bytes from \S+: icmp_seq=(\d+) /;
const NO_ANSWER = /^\[(\d+\.\d+)\] no answer yet for icmp_seq=(\d+)/;

/** Parses `ping -D -O` output into counts and outages (gaps of at least `minGap` consecutive missing replies). */
export function analysePing(output: string, stoppedAt: number, minGap = 1): PingReport {
  const replies = new Map<number, number>();
  let maxSeq = 0;
  for (const line of output.split('\n')) {
    const r = REPLY.exec(line);
    if (r) {
      const seq = Number(r[2]);
      if (!line.includes('(DUP!)') && !replies.has(seq)) replies.set(seq, Number(r[1]));
      maxSeq = Math.max(maxSeq, seq);
      continue;
    }
    const n = NO_ANSWER.exec(line);
    if (n) maxSeq = Math.max(maxSeq, Number(n[2]));
  }
  const seqs = [...replies.keys()].sort((a, b) => a - b);
  const outages: Outage[] = [];
  for (let i = 1; i < seqs.length; i++) {
    const missing = seqs[i] - seqs[i - 1] - 1;
    if (missing >= minGap) {
      const start = replies.get(seqs[i - 1])!;
      const end = replies.get(seqs[i])!;
      outages.push({ start, end, seconds: end - start, open: false });
    }
  }
  const last = seqs[seqs.length - 1];
  if (last !== undefined && maxSeq - last >= minGap) {
    const start = replies.get(last)!;
    outages.push({ start, end: stoppedAt, seconds: stoppedAt - start, open: true });
  }
  return {
    sent: maxSeq,
    received: replies.size,
    outages,
    longest: outages.reduce((m, o) => Math.max(m, o.seconds), 0),
  };
}

export interface PingerOptions {
  /** Consecutive missing replies that make an outage (default 1: any loss counts). */
  minGap?: number;
}

/** Pings `vip` from `node` every 20 ms until stop(); outages count only gaps after the first reply. */
export function startPinger(lab: Lab, node: LabNode, vip: string, opts: PingerOptions = {}): Pinger {
  // line-buffered, so replies are seen as they arrive rather than in 4 kB blocks
  const argv = ['stdbuf', '-oL', 'ping', '-D', '-O', '-n', '-i', String(PING_INTERVAL_S), '-W', '1', ...(vip.includes(':') ? ['-6'] : ['-4']), vip];
  const proc = lab.spawn(node, argv, { logFile: join(node.dir, `ping-${vip.replace(/[:.]/g, '_')}-${++pingers}.log`) });
  const count = () => analysePing(proc.output(), Date.now() / 1000).received;
  const lastReplyAt = () => {
    let last = 0;
    for (const line of proc.output().split('\n')) {
      const r = REPLY.exec(line);
      if (r) last = Math.max(last, Number(r[1]));
    }
    return last;
  };
  return {
    received: count,
    async waitForReply(timeoutMs = 10_000) {
      const since = Date.now() / 1000;
      const deadline = Date.now() + timeoutMs;
      while (lastReplyAt() <= since) {
        if (!proc.running) throw new Error(`ping ${vip} exited: ${proc.output().slice(-500)}`);
        if (Date.now() > deadline) throw new Error(`no ping reply from ${vip} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      const stoppedAt = Date.now() / 1000;
      await proc.stop('SIGINT');
      return analysePing(proc.output(), stoppedAt, opts.minGap);
    },
  };
}
