import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { DiagnosticsView } from '../../../renderer/src/diagnostics/DiagnosticsView.js';
import { buildColumns } from '../fixtures/columns.js';
import type { AnalyseRequest, AnalysisWorker, WorkerMessage } from '../../../renderer/src/diagnostics/worker-protocol.js';
import { REPORT, SYNC } from '../fixtures/report.js';
import { syncFlowsOf } from '../../../renderer/src/diagnostics/sync-flows.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

class FakeWorker implements AnalysisWorker {
  requests: AnalyseRequest[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<WorkerMessage>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: AnalyseRequest) {
    this.requests.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  send(data: WorkerMessage) {
    act(() => this.onmessage!({ data } as MessageEvent<WorkerMessage>));
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  render(<DiagnosticsView createWorker={() => { const w = new FakeWorker(); workers.push(w); return w; }} />);
  const file = new File([new Uint8Array(2048)], 'site.pcapng');
  const open = () => fireEvent.change(screen.getByTestId('capture-input'), { target: { files: [file] } });
  return { workers, file, open };
}

describe('Diagnostics view', () => {
  it('hands the chosen file and the secrets to the worker and shows its progress', () => {
    const { workers, file, open } = setup();
    fireEvent.click(screen.getByText('Add a password'));
    fireEvent.change(screen.getByLabelText('Secret 1 vhid'), { target: { value: '1' } });
    fireEvent.change(screen.getByLabelText('Secret 1 password'), { target: { value: 's3cret' } });
    open();
    expect(workers).toHaveLength(1);
    expect(workers[0].requests).toEqual([{ type: 'analyse', file, secrets: [{ vhid: 1, password: 's3cret' }] }]);
    workers[0].send({ type: 'progress', bytesRead: 1024, totalBytes: 2048, packets: 12 });
    const bar = screen.getByLabelText('Analysis progress') as HTMLProgressElement;
    expect(bar.value).toBe(1024);
    expect(bar.max).toBe(2048);
    expect(screen.getByRole('status').textContent).toContain('1.0 KiB of 2.0 KiB, 12 packets');
  });

  it('refuses to start with an invalid secret and says which field is wrong', () => {
    const { workers, open } = setup();
    fireEvent.click(screen.getByText('Add a password'));
    fireEvent.change(screen.getByLabelText('Secret 1 vhid'), { target: { value: '0' } });
    open();
    expect(workers).toHaveLength(0);
    expect(screen.getByRole('alert').textContent).toContain('Secret 1: vhid must be a number from 1 to 255.');
  });

  it('shows the capture error with its message and where it was found', () => {
    const { workers, open } = setup();
    open();
    workers[0].send({ type: 'error', code: 'not-a-capture', message: 'Not a pcap or pcapng file: it starts with 50 4b 03 04 (a ZIP archive?).', offset: 0 });
    const alert = screen.getByRole('alert');
    expect(alert.querySelector('h2')!.textContent).toBe('This is not a capture file');
    expect(alert.textContent).toContain('it starts with 50 4b 03 04');
    expect(alert.textContent).toContain('site.pcapng · at byte 0 · not-a-capture');
    expect(workers[0].terminated).toBe(true);
  });

  it('shows the report when the worker is done and exports it as a standalone HTML download', async () => {
    const { workers, open } = setup();
    open();
    workers[0].send({ type: 'done', report: { ...REPORT, adverts: [] }, columns: buildColumns(REPORT.adverts), syncFlows: syncFlowsOf(SYNC) });
    expect(document.querySelectorAll('.lane')).toHaveLength(3);
    expect(document.querySelector('li.finding[data-kind="split-brain"]')).not.toBeNull();
    const sync = [...document.querySelectorAll('.sync-table tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(sync.map((r) => [r[0], r[1], r[2], r[4], r[5]])).toEqual([
      ['pfsync v6', '10.0.9.1 → 224.0.0.240', '2', '3 / 14 / 3', '1 started, 1 ended'],
      ['pfsync v6', '10.0.9.2 → 224.0.0.240', '1', '1 / 0 / 0', '0 started, 0 ended'],
      ['conntrackd', '10.0.8.1 → 10.0.8.2', '1', '2 messages', '—'],
    ]);
    expect(screen.getByText('Sync packets').nextElementSibling!.textContent).toBe('4');

    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:report';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    fireEvent.click(screen.getByText('Export HTML report'));
    expect(clicked.map((a) => a.download)).toEqual(['site-carpdeck-report.html']);
    expect(blobs[0].type).toBe('text/html');
    const html = await blobs[0].text();
    expect(html).toContain('data-group="carp:2"');
    expect(html).toContain('data-kind="split-brain"');
    expect(html).toContain('<td class="nowrap">10.0.9.1 → 224.0.0.240</td><td>2</td><td>3 / 14 / 3</td>');
  });

  it('warns that a cut-short file was only partly analysed but still shows the report', () => {
    const { workers, open } = setup();
    open();
    const error = { code: 'truncated', message: 'the capture ends in the middle of packet record 201 at byte 9000', offset: 9000 };
    workers[0].send({ type: 'done', report: { ...REPORT, adverts: [], capture: { ...REPORT.capture, error } }, columns: buildColumns(REPORT.adverts), syncFlows: [] });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The capture file is cut short');
    expect(alert.textContent).toContain('The capture ends in the middle of packet record 201 at byte 9000. This report covers the');
    expect(document.querySelectorAll('.lane')).toHaveLength(3);
  });

  it('analyses a file dropped anywhere on the page, not only on the drop zone', () => {
    const { workers, open } = setup();
    open();
    workers[0].send({ type: 'done', report: { ...REPORT, adverts: [] }, columns: buildColumns(REPORT.adverts), syncFlows: [] });
    const next = new File([new Uint8Array(8)], 'second.pcapng');
    const drop = fireEvent.drop(document.querySelector('.timeline')!, { dataTransfer: { files: [next], types: ['Files'] } });
    expect(drop).toBe(false);
    expect(workers).toHaveLength(2);
    expect(workers[1].requests[0].file).toBe(next);
    expect(screen.getByRole('status').textContent).toContain('second.pcapng');
  });

  it('opens a file dropped on the drop zone once', () => {
    const { workers } = setup();
    const file = new File([new Uint8Array(8)], 'dropped.pcap');
    fireEvent.drop(document.querySelector('.drop-zone')!, { dataTransfer: { files: [file], types: ['Files'] } });
    expect(workers).toHaveLength(1);
  });
});
