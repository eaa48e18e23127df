import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { FINDINGS_SHOWN, FindingsList } from '../../../renderer/src/diagnostics/FindingsList.js';
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

  it('jumps to each frame of a finding', () => {
    const jump = vi.fn();
    render(<FindingsList findings={REPORT.findings.slice(0, 1)} onJumpToFrame={jump} />);
    fireEvent.click(screen.getByRole('button', { name: `Show frame ${FRAMES.split} in the packet table` }));
    fireEvent.click(screen.getByRole('button', { name: `Show frame ${FRAMES.split + 1} in the packet table` }));
    expect(jump.mock.calls).toEqual([[FRAMES.split], [FRAMES.split + 1]]);
  });

  it('says so when there is nothing to report', () => {
    render(<FindingsList findings={[]} onJumpToFrame={() => {}} />);
    expect(screen.getByText('No problems found in this capture.')).toBeTruthy();
  });
});

describe('findings list with many findings', () => {
  const many = Array.from({ length: 20 }, (_, i) => ({ ...REPORT.findings[1], time: REPORT.findings[1].time + i, message: `late advert ${i}` }));

  it('shows the first few, then all on request', () => {
    const { container } = render(<FindingsList findings={[REPORT.findings[0], ...many]} onJumpToFrame={() => {}} />);
    expect(container.querySelectorAll('li.finding')).toHaveLength(FINDINGS_SHOWN);
    expect(container.querySelector('li.finding')!.getAttribute('data-kind')).toBe('split-brain');
    fireEvent.click(screen.getByRole('button', { name: 'Show all 21 findings' }));
    expect(container.querySelectorAll('li.finding')).toHaveLength(21);
  });

  it('filters by kind with the chips', () => {
    const { container } = render(<FindingsList findings={[REPORT.findings[0], ...many]} onJumpToFrame={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'split-brain 1' }));
    expect([...container.querySelectorAll('li.finding')].map((li) => li.getAttribute('data-kind'))).toEqual(['split-brain']);
    fireEvent.click(screen.getByRole('button', { name: 'All 21' }));
    expect(container.querySelectorAll('li.finding')).toHaveLength(FINDINGS_SHOWN);
  });
});
