import { describe, expect, it } from 'vitest';
import { layoutTimeline } from '../../../renderer/src/diagnostics/timeline-layout.js';
import { MAX_CHANGES, MAX_SEGMENTS } from '../../../renderer/src/diagnostics/timeline-thinning.js';
import type { AnalysisReport, GroupMaster, MasterChange } from '../../../shared/analysis/types.js';
import { REPORT, T0 } from '../fixtures/report.js';

/** A group that flaps every second for an hour, with 10.0.5.1 holding 0.7 s of every second. */
function flapping(): AnalysisReport {
  const masters: GroupMaster[] = [];
  const changes: MasterChange[] = [];
  for (let s = 0; s < 3600; s++) {
    masters.push({ src: '10.0.5.1', srcMac: null, from: T0 + s, to: T0 + s + 0.7, adverts: 1 });
    masters.push({ src: '10.0.5.2', srcMac: null, from: T0 + s + 0.7, to: T0 + s + 1, adverts: 1 });
    changes.push({ time: T0 + s + 0.7, frame: 2 * s + 2, from: '10.0.5.1', to: '10.0.5.2', cause: 'preemption', explanation: 'x' });
  }
  return {
    ...REPORT,
    capture: { ...REPORT.capture, firstTime: T0, lastTime: T0 + 3600 },
    groups: [{ ...REPORT.groups[0], id: 'carp:5', vhid: 5, masters, changes }],
    findings: [],
  };
}

describe('timeline of a flapping group', () => {
  const lane = layoutTimeline(flapping()).lanes[0];

  it('draws a bounded number of bars, each for the master that held its slice longest', () => {
    expect(lane.segments.length).toBeLessThanOrEqual(MAX_SEGMENTS);
    expect(lane.segments.every((s) => s.master === '10.0.5.1')).toBe(true);
    expect(lane.segments[0].x0).toBe(0);
    expect(lane.segments.at(-1)!.x1).toBeCloseTo(1);
    expect(lane.segments[0].title).toMatch(/^10\.0\.5\.1 master for most of .* \d+ master periods in this span \(flapping\)$/);
  });

  it('groups master changes into at most one marker per slice, jumping to the first', () => {
    expect(lane.changes.length).toBeLessThanOrEqual(MAX_CHANGES);
    expect(lane.changes[0].frame).toBe(2);
    expect(lane.changes[0].cause).toBe('preemption');
    expect(lane.changes[0].title).toMatch(/^\d+ master changes during /);
    const total = lane.changes.reduce((n, c) => n + Number(/^(\d+) master changes/.exec(c.title)?.[1] ?? 1), 0);
    expect(total).toBe(3600);
  });

  it('leaves ordinary lanes untouched', () => {
    const normal = layoutTimeline(REPORT).lanes[0];
    expect(normal.segments).toHaveLength(2);
    expect(normal.changes).toHaveLength(1);
  });
});
