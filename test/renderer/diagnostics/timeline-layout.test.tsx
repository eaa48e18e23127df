import { describe, expect, it } from 'vitest';
import { axisTicks, layoutTimeline } from '../../../renderer/src/diagnostics/timeline-layout.js';
import { REPORT } from '../fixtures/report.js';

describe('timeline layout', () => {
  const layout = layoutTimeline(REPORT);

  it('makes one lane per group, labelled with protocol and vhid', () => {
    expect(layout.lanes.map((l) => l.label)).toEqual(['CARP vhid 1', 'CARP vhid 2', 'VRRP vrid 42']);
  });

  it('places master periods as fractions of the capture span', () => {
    const [first, second] = layout.lanes[0].segments;
    expect(first.x0).toBe(0);
    expect(first.x1).toBeCloseTo(19 / 60);
    expect(second.x0).toBeCloseTo(23.4 / 60);
    expect(second.x1).toBeCloseTo(59.4 / 60);
  });

  it('colours a master the same in every lane and lists each master once in the legend', () => {
    const lane2 = layout.lanes[1].segments;
    expect(lane2[0].colour).toBe(lane2[2].colour);
    expect(lane2[0].colour).not.toBe(lane2[1].colour);
    expect(layout.legend.map((m) => m.address)).toEqual(['10.0.1.1', '10.0.2.1', '10.0.3.1', '10.0.1.2', '10.0.2.2']);
  });

  it('marks master changes but not the first master, with cause, explanation and the gap against the bound', () => {
    const changes = layout.lanes[0].changes;
    expect(changes).toHaveLength(1);
    expect(changes[0].cause).toBe('takeover-after-silence');
    expect(changes[0].x).toBeCloseTo(23.4 / 60);
    expect(changes[0].title).toContain('10.0.1.1 → 10.0.1.2: takeover after silence');
    expect(changes[0].title).toContain("took over 4.40 s after 10.0.1.1's last advertisement");
    expect(changes[0].title).toContain('Takeover gap 4.40 s (protocol bound 3.39 s)');
  });

  it('names the sources heard in a group that never became its master', () => {
    expect(layout.lanes[1].alsoHeard).toEqual(['10.0.2.3']);
    expect(layout.lanes[0].alsoHeard).toEqual([]);
  });

  it('puts warnings and errors on their group lane, not notes', () => {
    expect(layout.lanes[1].findings.map((f) => f.severity)).toEqual(['error', 'warning']);
    expect(layout.lanes[0].findings).toEqual([]);
  });

  it('chooses round tick steps that cover the span', () => {
    expect(axisTicks(60).map((t) => t.label)).toEqual(['+0 s', '+10 s', '+20 s', '+30 s', '+40 s', '+50 s', '+1 min']);
    const hour = axisTicks(3600);
    expect(hour.at(-1)).toEqual({ x: 1, label: '+1 h' });
    expect(axisTicks(0.5).length).toBeGreaterThan(2);
  });
});
