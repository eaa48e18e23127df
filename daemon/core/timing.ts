import type { CoreState, VhidRuntime } from './types.js';

/** FreeBSD caps the advertised skew at 240 (CARP_MAXSKEW) whatever the demotion. */
export const MAX_SENT_ADVSKEW = 240;
/** Demotion added per cause (FreeBSD's ifdown/senderr factors, pfSense maintenance). */
export const DEMOTION_STEP = 240;
export const BOWOUT = 255;

export function totalDemotion(s: CoreState): number {
  let sum = 0;
  for (const v of Object.values(s.demotion)) sum += v;
  return Math.max(0, sum);
}

/** advskew on the wire: min(configured + demotion, 240). */
export function sentAdvskew(s: CoreState, v: VhidRuntime): number {
  return Math.min(v.config.advskew + totalDemotion(s), MAX_SENT_ADVSKEW);
}

/** OpenBSD demote byte. */
export function demoteByte(s: CoreState): number {
  return Math.min(totalDemotion(s), 255);
}

/**
 * keepalived postpones its own next advertisement whenever any packet carrying its VRID arrives, even one it
 * rejects (a CARP advert with the same number). An exact 1.000 s CARP interval then races keepalived's 1 s
 * timer and can starve its master; sending a little later than nominal always leaves it room. 20 ms is far
 * below anything that matters to CARP peers (their master-down is 3 x advbase).
 */
export const ADVERT_SLACK_MS = 20;

/** Master advertises every advbase + advskew/256 s (the skew as sent), plus ADVERT_SLACK_MS. */
export function advertIntervalMs(s: CoreState, v: VhidRuntime): number {
  return intervalMs(v.config.advbase, sentAdvskew(s, v)) + ADVERT_SLACK_MS;
}

/**
 * Backup waits 3 x advbase + advskew/256 s. FreeBSD uses the configured skew; carpd uses the skew as sent, so a
 * demoted or maintenance node also waits longer than a healthy peer when both start as backup.
 */
export function masterDownMs(s: CoreState, v: VhidRuntime): number {
  return 3 * v.config.advbase * 1000 + (sentAdvskew(s, v) * 1000) / 256;
}

export function intervalMs(advbase: number, advskew: number): number {
  return advbase * 1000 + (advskew * 1000) / 256;
}

export function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}
