import type { LaneChange, LaneSegment } from './timeline-layout.js';

/**
 * A flapping group can have tens of thousands of master periods; drawing each would swamp the page with elements
 * narrower than a pixel. Past these limits the lane is summarised per time slice instead.
 */
export const MAX_SEGMENTS = 1000;
export const MAX_CHANGES = 300;
const SEGMENT_SLICES = 500;
const CHANGE_SLICES = 300;

/** Per slice, the master that held it longest; neighbouring slices with one master become one bar. */
export function thinSegments(segments: LaneSegment[], describe: (x0: number, x1: number) => string): LaneSegment[] {
  if (segments.length <= MAX_SEGMENTS) return segments;
  const held: Map<string, number>[] = Array.from({ length: SEGMENT_SLICES }, () => new Map());
  const periods = new Array<number>(SEGMENT_SLICES).fill(0);
  const bySource = new Map<string, LaneSegment>();
  for (const s of segments) {
    bySource.set(s.master, s);
    const first = Math.min(SEGMENT_SLICES - 1, Math.floor(s.x0 * SEGMENT_SLICES));
    const last = Math.min(SEGMENT_SLICES - 1, Math.floor(s.x1 * SEGMENT_SLICES));
    periods[first]++;
    for (let b = first; b <= last; b++) {
      const overlap = Math.min(s.x1, (b + 1) / SEGMENT_SLICES) - Math.max(s.x0, b / SEGMENT_SLICES);
      held[b].set(s.master, (held[b].get(s.master) ?? 0) + Math.max(overlap, 1e-12));
    }
  }
  const out: LaneSegment[] = [];
  let run: { master: string; from: number; to: number; periods: number } | null = null;
  const flush = () => {
    if (!run) return;
    const like = bySource.get(run.master)!;
    const x0 = run.from / SEGMENT_SLICES;
    const x1 = run.to / SEGMENT_SLICES;
    out.push({
      ...like,
      x0,
      x1,
      adverts: 0,
      title: `${run.master} master for most of ${describe(x0, x1)}; ${run.periods} master periods in this span (flapping)`,
    });
    run = null;
  };
  for (let b = 0; b < SEGMENT_SLICES; b++) {
    let best: string | null = null;
    let bestHeld = 0;
    for (const [master, t] of held[b]) if (t > bestHeld) [best, bestHeld] = [master, t];
    if (best === null) {
      flush();
      continue;
    }
    if (run && run.master === best && run.to === b) {
      run.to = b + 1;
      run.periods += periods[b];
    } else {
      flush();
      run = { master: best, from: b, to: b + 1, periods: periods[b] };
    }
  }
  flush();
  return out;
}

/** One marker per time slice that has changes, jumping to the slice's first change. */
export function thinChanges(changes: LaneChange[], describe: (x0: number, x1: number) => string): LaneChange[] {
  if (changes.length <= MAX_CHANGES) return changes;
  const slices = new Map<number, LaneChange[]>();
  for (const c of changes) {
    const b = Math.min(CHANGE_SLICES - 1, Math.floor(c.x * CHANGE_SLICES));
    const list = slices.get(b);
    if (list) list.push(c);
    else slices.set(b, [c]);
  }
  return [...slices.values()].map((list) => {
    const first = list[0];
    if (list.length === 1) return first;
    const causes = new Set(list.map((c) => c.cause));
    return {
      x: first.x,
      frame: first.frame,
      cause: causes.size === 1 ? first.cause : 'unknown',
      title: `${list.length} master changes during ${describe(first.x, list[list.length - 1].x)}. The first:\n${first.title}`,
    };
  });
}
