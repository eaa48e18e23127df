import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { PacketTable, ROW_HEIGHT } from '../../../renderer/src/diagnostics/PacketTable.js';
import { FLAG_CHECKSUM_OK, NO_STRING, type PacketColumns } from '../../../renderer/src/diagnostics/packet-columns.js';
import { buildColumns } from '../fixtures/columns.js';
import { MAX_SCROLL_HEIGHT } from '../../../renderer/src/diagnostics/virtual-window.js';
import { FRAMES, REPORT, T0 } from '../fixtures/report.js';

afterEach(cleanup);

/** A million CARP adverts from two sources alternating, built straight into the columns. */
function millionRows(): PacketColumns {
  const n = 1_000_000;
  const cols: PacketColumns = {
    count: n,
    frame: new Uint32Array(n),
    time: new Float64Array(n),
    kind: new Uint8Array(n),
    vhid: new Uint8Array(n).fill(1),
    group: new Uint32Array(n),
    src: new Uint32Array(n),
    srcMac: new Uint32Array(n).fill(NO_STRING),
    ttl: new Uint8Array(n).fill(255),
    skewOrPriority: new Uint8Array(n),
    interval: new Float32Array(n).fill(1),
    demote: new Uint8Array(n),
    counterHi: new Uint32Array(n),
    counterLo: new Uint32Array(n),
    addresses: new Uint32Array(n).fill(NO_STRING),
    flags: new Uint8Array(n).fill(FLAG_CHECKSUM_OK),
    strings: ['carp:1', '10.0.1.1', '10.0.1.2'],
  };
  for (let i = 0; i < n; i++) {
    cols.frame[i] = i + 1;
    cols.time[i] = T0 + i * 0.001;
    cols.src[i] = 1 + (i % 2);
    cols.counterLo[i] = i;
  }
  return cols;
}

const bodyRows = () => screen.getAllByRole('row').filter((r) => r.hasAttribute('data-frame'));
const frames = () => bodyRows().map((r) => Number(r.getAttribute('data-frame')));

describe('virtualised packet table', () => {
  it('renders only a window of rows for a million advertisements and follows the scrollbar', () => {
    render(<PacketTable columns={millionRows()} startTime={T0} focus={null} />);
    expect(screen.getByTestId('row-count').textContent).toBe('1,000,000 of 1,000,000 advertisements');
    const first = frames();
    expect(first[0]).toBe(1);
    expect(first.length).toBeLessThanOrEqual(Math.ceil(420 / ROW_HEIGHT) + 1 + 8);
    expect(screen.getByRole('grid').getAttribute('aria-rowcount')).toBe('1000001');

    const scroller = screen.getByTestId('packet-scroller');
    expect((scroller.firstElementChild as HTMLElement).style.height).toBe(`${MAX_SCROLL_HEIGHT}px`);
    fireEvent.scroll(scroller, { target: { scrollTop: MAX_SCROLL_HEIGHT / 2 } });
    const middle = frames();
    expect(middle.length).toBeLessThanOrEqual(Math.ceil(420 / ROW_HEIGHT) + 1 + 16);
    expect(middle[0]).toBeGreaterThan(499_000);
    expect(middle.at(-1)).toBeLessThan(501_000);

    fireEvent.scroll(scroller, { target: { scrollTop: MAX_SCROLL_HEIGHT } });
    expect(frames().at(-1)).toBe(1_000_000);
  });

  it('shows each advert field in its cell and flags a TTL that is not 255', () => {
    render(<PacketTable columns={buildColumns(REPORT.adverts)} startTime={T0} focus={{ frame: FRAMES.ttl, seq: 1 }} />);
    const row = bodyRows().find((r) => r.getAttribute('data-frame') === String(FRAMES.ttl))!;
    expect(row.getAttribute('aria-selected')).toBe('true');
    const cells = within(row).getAllByRole('gridcell').map((c) => c.textContent);
    expect(cells.slice(0, 7)).toEqual([String(FRAMES.ttl), '40.600000', 'CARP', 'carp:2', '10.0.2.2', '00:00:5e:00:01:02', '64']);
    expect(within(row).getAllByRole('gridcell')[6].className).toContain('warn');
  });

  it('says when a requested frame is not an advertisement and shows the next one', () => {
    const cols = buildColumns(REPORT.adverts.filter((a) => a.frame !== FRAMES.ttl));
    render(<PacketTable columns={cols} startTime={T0} focus={{ frame: FRAMES.ttl, seq: 1 }} />);
    const selected = bodyRows().find((r) => r.getAttribute('aria-selected') === 'true')!;
    expect(selected.getAttribute('data-frame')).toBe(String(FRAMES.ttl + 1));
    expect(screen.getByRole('status').textContent).toBe(`Frame ${FRAMES.ttl} is not an advertisement; showing the next one, frame ${FRAMES.ttl + 1}.`);
  });

  it('jumps to a frame far down a million rows', () => {
    render(<PacketTable columns={millionRows()} startTime={T0} focus={{ frame: 765_432, seq: 1 }} />);
    const selected = bodyRows().find((r) => r.getAttribute('aria-selected') === 'true');
    expect(selected?.getAttribute('data-frame')).toBe('765432');
  });

  it('starts a new sort at the top', () => {
    render(<PacketTable columns={millionRows()} startTime={T0} focus={null} />);
    fireEvent.scroll(screen.getByTestId('packet-scroller'), { target: { scrollTop: MAX_SCROLL_HEIGHT / 2 } });
    fireEvent.click(screen.getByRole('button', { name: /TTL/ }));
    expect(frames()[0]).toBe(1);
  });

  it('filters by group and sorts by a column header', () => {
    render(<PacketTable columns={buildColumns(REPORT.adverts)} startTime={T0} focus={null} />);
    fireEvent.change(screen.getByLabelText('Filter by group'), { target: { value: 'vrrp:42' } });
    expect(screen.getByTestId('row-count').textContent).toBe(`60 of ${REPORT.adverts.length} advertisements`);
    expect(bodyRows().every((r) => r.textContent!.includes('VRRPv3'))).toBe(true);

    fireEvent.change(screen.getByLabelText('Filter by group'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: /Source/ }));
    const sources = () => bodyRows().map((r) => within(r).getAllByRole('gridcell')[4].textContent);
    expect(sources().slice(0, 20).every((s) => s === '10.0.1.1')).toBe(true);
    expect(sources()[20]).toBe('10.0.1.2');
    fireEvent.click(screen.getByRole('button', { name: /Source/ }));
    expect(sources().every((s) => s === '10.0.3.1')).toBe(true);
    expect(screen.getByRole('columnheader', { name: 'Source' }).getAttribute('aria-sort')).toBe('descending');
  });
});

describe('packet table keyboard', () => {
  it('moves the selection with the arrow keys and End, scrolling it into view', () => {
    render(<PacketTable columns={millionRows()} startTime={T0} focus={null} />);
    const scroller = screen.getByTestId('packet-scroller');
    const selected = () => bodyRows().find((r) => r.getAttribute('aria-selected') === 'true')?.getAttribute('data-frame');
    fireEvent.keyDown(scroller, { key: 'ArrowDown' });
    expect(selected()).toBe('1');
    fireEvent.keyDown(scroller, { key: 'ArrowDown' });
    fireEvent.keyDown(scroller, { key: 'ArrowDown' });
    fireEvent.keyDown(scroller, { key: 'ArrowUp' });
    expect(selected()).toBe('2');
    fireEvent.keyDown(scroller, { key: 'End' });
    expect(selected()).toBe('1000000');
    fireEvent.keyDown(scroller, { key: 'PageUp' });
    expect(Number(selected())).toBe(1_000_000 - (Math.floor(420 / ROW_HEIGHT) - 1));
    fireEvent.keyDown(scroller, { key: 'Home' });
    expect(selected()).toBe('1');
  });
});
