import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Timeline } from '../../../renderer/src/diagnostics/Timeline.js';
import { layoutTimeline } from '../../../renderer/src/diagnostics/timeline-layout.js';
import { FRAMES, REPORT } from '../fixtures/report.js';

afterEach(cleanup);

describe('master timeline', () => {
  it('draws one lane per group with each master period in its legend colour', () => {
    const { container } = render(<Timeline layout={layoutTimeline(REPORT)} onJumpToFrame={() => {}} />);
    const lanes = [...container.querySelectorAll('.lane')];
    expect(lanes.map((l) => l.getAttribute('data-group'))).toEqual(['carp:1', 'carp:2', 'vrrp:42']);

    const legend = new Map(
      [...screen.getByLabelText('Master colours').querySelectorAll('li')]
        .filter((li) => li.querySelector('.swatch'))
        .map((li) => [li.textContent, (li.querySelector('.swatch') as HTMLElement).style.background]),
    );
    expect([...legend.keys()]).toEqual(['10.0.1.1', '10.0.2.1', '10.0.3.1', '10.0.1.2', '10.0.2.2']);
    const segments = [...lanes[0].querySelectorAll<HTMLElement>('.segment')];
    expect(segments.map((s) => s.dataset.master)).toEqual(['10.0.1.1', '10.0.1.2']);
    for (const s of segments) expect(s.style.background).toBe(legend.get(s.dataset.master!));
    expect(segments[0].style.left).toBe('0.000%');
    expect(segments[1].style.left).toBe('39.000%');
  });

  it('marks master changes with their cause and explanation and jumps to the frame on click', () => {
    const jump = vi.fn();
    const { container } = render(<Timeline layout={layoutTimeline(REPORT)} onJumpToFrame={jump} />);
    const marks = [...container.querySelectorAll<HTMLButtonElement>('.lane[data-group="carp:1"] .change-mark')];
    expect(marks).toHaveLength(1);
    expect(marks[0].title).toContain('takeover after silence');
    expect(marks[0].title).toContain("took over 4.40 s after 10.0.1.1's last advertisement");
    fireEvent.click(marks[0]);
    expect(jump).toHaveBeenCalledWith(FRAMES.failover);
  });

  it('says when the capture holds no advertisements', () => {
    render(<Timeline layout={layoutTimeline({ ...REPORT, groups: [], findings: [] })} onJumpToFrame={() => {}} />);
    expect(screen.getByText(/No CARP or VRRP advertisements in this capture/)).toBeTruthy();
  });
});
