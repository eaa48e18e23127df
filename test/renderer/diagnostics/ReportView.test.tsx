import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ReportView } from '../../../renderer/src/diagnostics/ReportView.js';
import { ColumnBuilder } from '../../../renderer/src/diagnostics/packet-columns.js';
import type { AnalysisReport } from '../../../shared/analysis/types.js';
import { REPORT } from '../fixtures/report.js';
import { buildColumns } from '../fixtures/columns.js';

afterEach(cleanup);

describe('report view', () => {
  it('shows a capture with no packets without errors', () => {
    const empty: AnalysisReport = {
      capture: { packets: 0, firstTime: null, lastTime: null, format: 'pcap', linkTypes: [1] },
      adverts: [],
      sync: [],
      groups: [],
      findings: [],
    };
    render(<ReportView report={empty} columns={new ColumnBuilder().finish()} syncFlows={[]} />);
    expect(screen.getByText('Packets').nextElementSibling!.textContent).toBe('0');
    expect(screen.getByText('Duration').nextElementSibling!.textContent).toBe('—');
    expect(screen.getByText(/No CARP or VRRP advertisements in this capture/)).toBeTruthy();
    expect(screen.getByText('No problems found in this capture.')).toBeTruthy();
    expect(screen.getByTestId('row-count').textContent).toBe('0 of 0 advertisements');
    expect(screen.queryByText('State synchronisation')).toBeNull();
  });

  it("shows a group's advertisements when its lane name is clicked, and jumps to a finding's frame", () => {
    render(<ReportView report={{ ...REPORT, adverts: [] }} columns={buildColumns(REPORT.adverts)} syncFlows={[]} />);
    fireEvent.click(screen.getByRole('button', { name: 'CARP vhid 2' }));
    const carp2 = REPORT.adverts.filter((a) => a.vhid === 2).length;
    expect(screen.getByTestId('row-count').textContent).toBe(`${carp2} of ${REPORT.adverts.length} advertisements`);
    expect((screen.getByLabelText('Filter by group') as HTMLSelectElement).value).toBe('carp:2');

    const frame = REPORT.findings[2].frames[0];
    fireEvent.click(screen.getByRole('button', { name: `Show frame ${frame} in the packet table` }));
    expect(screen.getByTestId('row-count').textContent).toBe(`${REPORT.adverts.length} of ${REPORT.adverts.length} advertisements`);
    expect(document.querySelector('[role="row"][aria-selected="true"]')!.getAttribute('data-frame')).toBe(String(frame));
  });
});
