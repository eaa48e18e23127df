import type { CarpAdvert } from '../../shared/protocol/types.js';
import type { CarpState } from './types.js';
import { BOWOUT, intervalMs } from './timing.js';

export interface Advertised {
  demote: number;
  advbase: number;
  advskew: number;
}

/**
 * Negative when `a` is the better master. A lower demote byte wins first (OpenBSD), then the more frequent
 * advertisement (base + skew/256). FreeBSD and ucarp send demote 0 and fold demotion into advskew, so with them
 * only the interval decides.
 */
export function compareAdvertised(a: Advertised, b: Advertised): number {
  if (a.demote !== b.demote) return a.demote - b.demote;
  return a.advbase * 256 + a.advskew - (b.advbase * 256 + b.advskew);
}

export type Decision =
  | { kind: 'ignore' }
  | { kind: 'restart-master-down' }
  /** `tie`: the peer advertised exactly our values; both masters may be yielding to each other at once. */
  | { kind: 'become-backup'; cause: string; tie?: boolean }
  | { kind: 'become-master'; cause: string }
  /** Another node claims to be master but is worse: it will yield to our next advert; re-announce the VIPs now. */
  | { kind: 'reassert' };

export function isBowOut(a: { advbase: number; advskew: number }): boolean {
  return a.advbase === BOWOUT && a.advskew === BOWOUT;
}

/** What an accepted advertisement from `from` means for a vhid in `state` (carp-wire.md §2.3). */
export function decide(state: CarpState, mine: Advertised, preempt: boolean, theirs: CarpAdvert, from: string): Decision {
  const t: Advertised = { demote: theirs.demote, advbase: theirs.advbase, advskew: theirs.advskew };
  const desc = `advbase ${t.advbase}, advskew ${t.advskew}, demote ${t.demote}`;
  const ours = `advbase ${mine.advbase}, advskew ${mine.advskew}, demote ${mine.demote}`;
  if (state === 'INIT') return { kind: 'ignore' };
  if (state === 'MASTER') {
    if (isBowOut(t)) return { kind: 'ignore' };
    const c = compareAdvertised(mine, t);
    if (c > 0) return { kind: 'become-backup', cause: `more preferred advertisement from ${from} (${desc}; ours ${ours})` };
    if (c === 0) return { kind: 'become-backup', cause: `equal advertisement from ${from} (${desc}); on a tie the master yields, as FreeBSD does`, tie: true };
    return { kind: 'reassert' };
  }
  if (isBowOut(t)) return { kind: 'become-master', cause: `master ${from} bowed out (advbase 255, advskew 255)` };
  if (t.demote > mine.demote) return { kind: 'become-master', cause: `master ${from} is demoted (${t.demote}) more than this node (${mine.demote})` };
  if (preempt && compareAdvertised(mine, t) < 0) return { kind: 'become-master', cause: `preempting slower master ${from} (${desc}; ours ${ours})` };
  if (intervalMs(t.advbase, t.advskew) > 3 * mine.advbase * 1000) {
    return { kind: 'become-master', cause: `master ${from} will time out (advertises every ${(intervalMs(t.advbase, t.advskew) / 1000).toFixed(2)} s)` };
  }
  return { kind: 'restart-master-down' };
}
