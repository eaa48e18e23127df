import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { FindingsList } from '../../../renderer/src/diagnostics/FindingsList.js';
import { FRAMES, REPORT } from '../fixtures/report.js';

afterEach(cleanup);

describe('findings list', () => {
  it('lists findings most severe first with their explanation and fix', () => {
    const reversed = [...REPORT.findings].reverse();
    const { container } = render(<FindingsList findings={reversed} onJumpToFrame={() => {}} />);
    const items = [...container.querySelectorAll('li.finding')];
    expect(items.map((i) => i.getAttribute('data-kind'))).toEqual(['split-brain', 'bad-ttl', 'slow-takeover']);
    expect(items[0].querySelector('.severity')!.textContent).toBe('Error');
    expect(items[0].textContent).toContain('both advertised as master of vhid 2');
    expect(items[0].querySelector('.finding-fix')!.textContent).toBe('Fix: The nodes do not hear each other: check that multicast to 224.0.0.18 passes between them.');
    expect(items[0].textContent).toContain('CARP vhid 2');
  });

  it('jumps to the first frame of a finding', () => {
    const jump = vi.fn();
    render(<FindingsList findings={REPORT.findings.slice(0, 1)} onJumpToFrame={jump} />);
    fireEvent.click(screen.getByRole('button', { name: /in the packet table/ }));
    expect(jump).toHaveBeenCalledWith(FRAMES.split);
  });

  it('says so when there is nothing to report', () => {
    render(<FindingsList findings={[]} onJumpToFrame={() => {}} />);
    expect(screen.getByText('No problems found in this capture.')).toBeTruthy();
  });
});
