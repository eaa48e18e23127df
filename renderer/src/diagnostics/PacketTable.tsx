import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { PacketColumns } from './packet-columns.js';
import { rowForFrame } from './packet-columns.js';
import { PACKET_COLUMNS } from './packet-cells.js';
import { computeView, viewPosition, type SortDir, type SortKey } from './table-view.js';
import { rowWindow, scrollTopForRow } from './virtual-window.js';
import { groupLabel } from './format.js';

export const ROW_HEIGHT = 26;
const OVERSCAN = 8;

interface Props {
  columns: PacketColumns;
  startTime: number;
  /** Ask the table to show and select a frame; `seq` changes for every request so the same frame can be asked twice. */
  focus: { frame: number; seq: number } | null;
  /** Ask the table to show only one group (an analyser group id; the VLAN part is ignored, rows do not carry it). */
  groupFocus?: { group: string; seq: number } | null;
  /** Viewport height used until the element can be measured. */
  fallbackHeight?: number;
}

/**
 * The advertisements, virtualised: the scroll area has the height of all rows but only the rows in view (plus a
 * few above and below) exist in the DOM, each a fixed height, read straight from the typed columns.
 */
export function PacketTable({ columns, startTime, focus, groupFocus = null, fallbackHeight = 420 }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [group, setGroup] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir } | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(fallbackHeight);
  const [selected, setSelected] = useState<number | null>(null);
  const [pendingRow, setPendingRow] = useState<number | null>(null);
  const [jumpNote, setJumpNote] = useState<string | null>(null);

  const groups = useMemo(() => {
    const ids = new Set<number>();
    for (let i = 0; i < columns.count; i++) ids.add(columns.group[i]);
    return [...ids].map((id) => columns.strings[id]).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }, [columns]);
  const view = useMemo(() => computeView(columns, { group, sort }), [columns, group, sort]);
  const rowCount = view ? view.length : columns.count;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewportHeight(el.clientHeight || fallbackHeight);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [fallbackHeight]);

  useEffect(() => {
    if (!focus) return;
    const row = rowForFrame(columns, focus.frame);
    setPendingRow(row);
    if (row >= 0 && columns.frame[row] === focus.frame) setJumpNote(null);
    else if (row >= 0) setJumpNote(`Frame ${focus.frame} is not an advertisement; showing the next one, frame ${columns.frame[row]}.`);
    else setJumpNote(`Frame ${focus.frame} is not an advertisement, and no advertisement follows it.`);
  }, [focus, columns]);

  useEffect(() => {
    if (!groupFocus) return;
    const key = groupFocus.group.replace(/@.*$/, '');
    setGroup(columns.strings.includes(key) ? key : null);
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [groupFocus, columns]);

  useEffect(() => {
    if (pendingRow === null) return;
    if (pendingRow < 0) {
      setPendingRow(null);
      return;
    }
    const position = viewPosition(view, pendingRow);
    if (position < 0) {
      setGroup(null);
      return;
    }
    const top = scrollTopForRow(position, rowCount, ROW_HEIGHT, viewportHeight);
    if (scroller.current) scroller.current.scrollTop = top;
    setScrollTop(top);
    setSelected(pendingRow);
    setPendingRow(null);
  }, [pendingRow, view, rowCount, viewportHeight]);

  const win = rowWindow({ rowCount, rowHeight: ROW_HEIGHT, viewportHeight, scrollTop, overscan: OVERSCAN });

  const pageRows = Math.max(1, Math.floor(viewportHeight / ROW_HEIGHT) - 1);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const steps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: pageRows, PageUp: -pageRows, Home: -Infinity, End: Infinity };
    const step = steps[e.key];
    if (step === undefined || rowCount === 0) return;
    e.preventDefault();
    const current = selected === null ? -1 : viewPosition(view, selected);
    const next = Math.min(rowCount - 1, Math.max(0, current < 0 ? (step > 0 ? 0 : rowCount - 1) : current + step));
    setSelected(view ? view[next] : next);
    const top = win.topOf(next) - scrollTop;
    if (top < 0 || top + ROW_HEIGHT > viewportHeight) {
      const scrollTo = scrollTopForRow(next, rowCount, ROW_HEIGHT, viewportHeight, step > 0 ? 'bottom' : 'top');
      if (scroller.current) scroller.current.scrollTop = scrollTo;
      setScrollTop(scrollTo);
    }
  };

  const scrollToTop = () => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  };
  const toggleSort = (key: SortKey) => {
    setSort((s) => (s?.key === key ? (s.dir === 'asc' ? { key, dir: 'desc' } : null) : { key, dir: 'asc' }));
    scrollToTop();
  };
  const filterGroup = (value: string) => {
    setGroup(value || null);
    scrollToTop();
  };

  const rows = [];
  for (let i = win.start; i < win.end; i++) {
    const row = view ? view[i] : i;
    rows.push(
      <div
        key={i}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={row === selected}
        className={row === selected ? 'packet-row selected' : 'packet-row'}
        data-frame={columns.frame[row]}
        style={{ top: win.topOf(i) }}
        onClick={() => setSelected(row)}
      >
        {PACKET_COLUMNS.map((c) => {
          const text = c.text(columns, row, startTime);
          return (
            <span key={c.id} role="gridcell" title={c.long ? text : undefined} className={c.warn?.(columns, row) ? `cell ${c.id} warn` : `cell ${c.id}`}>
              {text}
            </span>
          );
        })}
      </div>,
    );
  }

  return (
    <div className="packet-table">
      <div className="table-toolbar">
        <label>
          Group{' '}
          <select value={group ?? ''} onChange={(e) => filterGroup(e.target.value)} aria-label="Filter by group">
            <option value="">All groups</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {groupLabel(g)}
              </option>
            ))}
          </select>
        </label>
        <span className="row-count" data-testid="row-count">
          {rowCount.toLocaleString('en-US')} of {columns.count.toLocaleString('en-US')} advertisements
        </span>
        {jumpNote && (
          <span className="jump-note" role="status">
            {jumpNote}
          </span>
        )}
      </div>
      <div role="grid" aria-rowcount={rowCount + 1} aria-label="Advertisements" className="packet-grid">
        <div className="packet-head" role="rowgroup">
          <div role="row" className="packet-row header">
            {PACKET_COLUMNS.map((c) => {
              const dir = sort && sort.key === c.sort ? sort.dir : null;
              return c.sort ? (
                <span key={c.id} role="columnheader" aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'} className={`cell ${c.id}`}>
                  <button type="button" onClick={() => toggleSort(c.sort!)}>
                    {c.label}
                    <span className="sort-mark" aria-hidden="true">{dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}</span>
                  </button>
                </span>
              ) : (
                <span key={c.id} role="columnheader" className={`cell ${c.id}`}>
                  {c.label}
                </span>
              );
            })}
          </div>
        </div>
        <div
          ref={scroller}
          className="packet-scroller"
          data-testid="packet-scroller"
          tabIndex={0}
          aria-label="Advertisements; use the arrow keys, Page Up/Down, Home and End to move"
          onKeyDown={onKeyDown}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        >
          <div className="packet-spacer" role="rowgroup" style={{ height: win.scrollHeight }}>
            {rows}
          </div>
        </div>
      </div>
    </div>
  );
}
