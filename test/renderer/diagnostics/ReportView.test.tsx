import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { ReportView } from '../../../renderer/src/diagnostics/ReportView.js';
import { ColumnBuilder } from '../../../renderer/src/diagnostics/packet-columns.js';
import type { AnalysisReport } from '../../../shared/analysis/types.js';

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
});
