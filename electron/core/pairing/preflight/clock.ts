// Clock skew against this computer's clock. Each sample brackets the node's reading between the moment the command
// was sent and the moment its answer came back, so the node read its clock somewhere in that round trip: the
// offset is taken at the midpoint and is uncertain by half the round trip. The sample with the shortest round trip
// is the most precise.
import type { NodeRole, PreflightCheck } from '../../../../shared/pairing/schema.js';
import { fail, pass, warn } from './check.js';
import type { PreflightSession } from './session.js';

export interface ClockSample {
  sentMs: number;
  receivedMs: number;
  /** The node's clock, epoch ms. */
  remoteMs: number;
  /** How coarse the node's reading was (1000 when it printed whole seconds only). */
  resolutionMs: number;
}

export interface ClockEstimate {
  /** Node minus this computer, ms. */
  offsetMs: number;
  /** The true offset lies within offsetMs ± uncertaintyMs. */
  uncertaintyMs: number;
  rttMs: number;
}

/** `date +%s%N` output: nanoseconds, or whole seconds where %N is not supported (busybox prints "N" or "%N"). */
export function parseRemoteClock(text: string): { ms: number; resolutionMs: number } | undefined {
  const t = text.trim();
  if (/^\d{16,}$/.test(t)) return { ms: Number(BigInt(t) / 1_000_000n), resolutionMs: 1 };
  const secs = /^(\d{9,11})%?N?$/.exec(t);
  return secs ? { ms: Number(secs[1]) * 1000, resolutionMs: 1000 } : undefined;
}

export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate | undefined {
  if (samples.length === 0) return undefined;
  const best = samples.reduce((a, b) => (b.receivedMs - b.sentMs < a.receivedMs - a.sentMs ? b : a));
  const rtt = best.receivedMs - best.sentMs;
  // a reading of whole seconds is the start of its second: the true time is up to 1 s later
  const remote = best.remoteMs + (best.resolutionMs > 1 ? best.resolutionMs / 2 : 0);
  return { offsetMs: remote - (best.sentMs + best.receivedMs) / 2, uncertaintyMs: rtt / 2 + (best.resolutionMs > 1 ? best.resolutionMs / 2 : 0), rttMs: rtt };
}

export async function sampleClock(session: PreflightSession, count = 3, now: () => number = Date.now): Promise<ClockSample[]> {
  const samples: ClockSample[] = [];
  for (let i = 0; i < count; i++) {
    const sentMs = now();
    const r = await session.exec(['date', '+%s%N']);
    const receivedMs = now();
    const parsed = parseRemoteClock(r.stdout);
    if (r.code === 0 && parsed) samples.push({ sentMs, receivedMs, remoteMs: parsed.ms, resolutionMs: parsed.resolutionMs });
  }
  return samples;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(ms >= 10_000 || ms <= -10_000 ? 0 : 2)} s`;

export function clockCheck(node: NodeRole, est: ClockEstimate | undefined, toleranceMs: number, peer?: ClockEstimate): PreflightCheck {
  const base = { id: 'clock', node, title: `Clock within ${toleranceMs / 1000} s of this computer` };
  const ntpFix = 'synchronise both nodes with NTP (apt-get install chrony, or timedatectl set-ntp true) and check again; if both nodes are off by the same amount, check this computer\'s clock instead';
  if (!est) return warn({ ...base, detail: 'the node did not print its clock (date +%s%N failed)', fix: ntpFix });
  const off = est.offsetMs;
  const peerNote = peer ? `; ${secs(Math.abs(off - peer.offsetMs))} from the other node` : '';
  const detail = `${off >= 0 ? 'ahead of' : 'behind'} this computer by ${secs(Math.abs(off))} (± ${Math.round(est.uncertaintyMs)} ms over a ${Math.round(est.rttMs)} ms round trip)${peerNote}`;
  if (Math.abs(off) - est.uncertaintyMs > toleranceMs) return fail({ ...base, detail, fix: ntpFix });
  if (Math.abs(off) + est.uncertaintyMs > toleranceMs) return warn({ ...base, detail: `${detail}: the round trip is too long to tell whether it is within ${secs(toleranceMs)}`, fix: 'run the preflight over a faster link, and make sure NTP runs on both nodes' });
  return pass({ ...base, detail });
}
