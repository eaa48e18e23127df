import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterView } from '../../../renderer/src/cluster/ClusterView.js';
import { addEvent, filterEvents, NO_FILTER, timelineCsv, timelineJson } from '../../../renderer/src/cluster/timeline.js';
import { event, FakeClusterSource, settle, T0 } from './fake-source.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const rows = () => [...document.querySelectorAll('.timeline-table tbody tr')].map((tr) => Number(tr.getAttribute('data-seq')));

async function view(source = new FakeClusterSource()) {
  render(<ClusterView source={source} retry={{ minRetryMs: 1, maxRetryMs: 5 }} />);
  await settle();
  return source;
}

const FW1 = 'root@10.77.0.11';
const FW2 = 'root@10.77.0.12';
const mixed = [
  event(1, { node: FW1, vhid: 1, old: 'INIT', new: 'BACKUP', cause: 'started' }),
  event(2, { node: FW2, vhid: 1, old: 'INIT', new: 'BACKUP', cause: 'started' }),
  event(3, { node: FW1, vhid: 1, old: 'BACKUP', new: 'MASTER', cause: 'no advertisement from 10.0.1.3 for 3.1 s', failover: true }),
  event(4, { node: FW1, kind: 'demotion', vhid: null, old: '0', new: '240', cause: 'link lan down' }),
  event(5, { node: FW2, vhid: 2, old: 'BACKUP', new: 'MASTER', cause: 'peer demoted (240)', failover: true }),
  event(6, { node: FW2, kind: 'config-sync', vhid: null, old: null, new: null, cause: 'config pushed to the peer' }),
];

describe('timeline', () => {
  it('shows each event with time, node, vhid, old → new and cause, newest first, in the backend\'s seq order', async () => {
    const source = await view();
    await source.timelineStream.push(event(1), event(2), event(4));
    await source.timelineStream.push(event(3, { node: FW2, vhid: 2, old: 'BACKUP', new: 'MASTER', cause: 'preempt: higher priority', failover: true }));
    expect(rows()).toEqual([4, 3, 2, 1]);
    const row = document.querySelector('tr[data-seq="3"]') as HTMLElement;
    const cells = [...row.querySelectorAll('td')].map((td) => td.textContent);
    expect(cells).toEqual(['05:00:03.000', FW2, 'statefailover', '2', 'BACKUP → MASTER', 'preempt: higher priority']);
    expect(row.className).toBe('failover');
  });

  it('adds each seq once and keeps seq order when an older one arrives late', () => {
    let held = addEvent([], event(2));
    held = addEvent(held, event(5));
    held = addEvent(held, event(3));
    const same = addEvent(held, event(5, { cause: 'replayed' }));
    expect(same).toBe(held);
    expect(held.map((e) => e.seq)).toEqual([2, 3, 5]);
    expect(addEvent(held, event(6), 3).map((e) => e.seq)).toEqual([3, 5, 6]);
  });

  it('filters by node, kind, vhid, failovers only and text, and clears the filters', async () => {
    const source = await view();
    await source.timelineStream.push(...mixed);
    const filters = screen.getByRole('group', { name: 'Timeline filters' });
    fireEvent.change(within(filters).getByLabelText('Node'), { target: { value: FW2 } });
    expect(rows()).toEqual([6, 5, 2]);
    fireEvent.change(within(filters).getByLabelText('vhid'), { target: { value: '1' } });
    expect(rows()).toEqual([2]);
    fireEvent.click(within(filters).getByRole('button', { name: 'Clear filters' }));
    expect(rows()).toEqual([6, 5, 4, 3, 2, 1]);
    fireEvent.click(within(filters).getByLabelText('Failovers only'));
    expect(rows()).toEqual([5, 3]);
    fireEvent.click(within(filters).getByLabelText('Failovers only'));
    fireEvent.change(within(filters).getByLabelText('Kind'), { target: { value: 'demotion' } });
    expect(rows()).toEqual([4]);
    fireEvent.change(within(filters).getByLabelText('Kind'), { target: { value: '' } });
    fireEvent.change(within(filters).getByLabelText('Search'), { target: { value: 'ADVERTISEMENT' } });
    expect(rows()).toEqual([3]);
    expect(screen.getByTestId('timeline-count').textContent).toContain('1 of 6 events');
    fireEvent.change(within(filters).getByLabelText('Search'), { target: { value: 'nothing like this' } });
    expect(screen.getByText('No event matches these filters (6 held).')).toBeTruthy();
  });

  it('exports the events shown as JSON and as CSV, oldest first', async () => {
    const saved: { name: string; type: string; text: Promise<string> }[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push({ name: '', type: (blob as Blob).type, text: (blob as Blob).text() });
      return 'blob:x';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.at(-1)!.name = this.download;
    });
    const source = await view();
    await source.timelineStream.push(...mixed);
    fireEvent.click(screen.getByLabelText('Failovers only'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Export JSON' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Export CSV' })));
    expect(saved.map((s) => [s.type, /^carpdeck-timeline-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.(json|csv)$/.test(s.name)])).toEqual([
      ['application/json', true],
      ['text/csv', true],
    ]);
    const json = JSON.parse(await saved[0].text) as { exported: number; events: { seq: number }[] };
    expect(json.exported).toBe(2);
    expect(json.events).toEqual([mixed[2], mixed[4]]);
    expect((await saved[1].text).split('\r\n')).toEqual([
      'seq,time,node,nodeSeq,kind,vhid,old,new,cause,failover',
      `3,2026-11-26T05:00:03.000Z,${FW1},3,state,1,BACKUP,MASTER,no advertisement from 10.0.1.3 for 3.1 s,true`,
      `5,2026-11-26T05:00:05.000Z,${FW2},5,state,2,BACKUP,MASTER,peer demoted (240),true`,
      '',
    ]);
  });

  it('quotes CSV cells with commas, quotes and line breaks, and defuses cells a spreadsheet would run as formulas', () => {
    const csv = timelineCsv([event(1, { cause: 'said "hi", then\nleft', old: null, new: '=HYPERLINK("x")', vhid: null })]);
    expect(csv.split('\r\n')[1]).toBe(`1,${new Date(T0 + 1000).toISOString()},root@10.77.0.11,1,state,,,"'=HYPERLINK(""x"")","said ""hi"", then\nleft",false`);
    expect(JSON.parse(timelineJson(filterEvents(mixed, { ...NO_FILTER, node: FW1 }))).events.map((e: { seq: number }) => e.seq)).toEqual([1, 3, 4]);
  });

  it('resumes after the stream breaks with since = the last seq held, showing no event twice and none missing', async () => {
    const source = await view();
    expect(source.timelines.map((t) => t.since)).toEqual([0]);
    await source.timelineStream.push(event(1), event(2), event(3));
    await source.timelineStream.fail(new Error('The connection to CarpDeck dropped during this call'));
    await vi.waitFor(() => expect(source.timelines).toHaveLength(2));
    expect(source.timelines[1].since).toBe(3);
    // a backend that replays the last one it sent must not duplicate it
    await source.timelineStream.push(event(3), event(4), event(5));
    expect(rows()).toEqual([5, 4, 3, 2, 1]);
    expect(screen.getByRole('status', { name: 'Timeline stream' }).textContent).toBe('Live (resumed 1×, nothing missed)');
    await source.timelineStream.end();
    await vi.waitFor(() => expect(source.timelines).toHaveLength(3));
    expect(source.timelines[2].since).toBe(5);
  });

  it('says so while no event has arrived', async () => {
    await view();
    expect(screen.getByText(/No events yet/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Export CSV' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
