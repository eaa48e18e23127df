// The live groups table. A busy segment (hundreds of groups, thousands of advertisements a second) refreshes every
// row each second, so: rows are memoised and re-render only when their group changed, and past WINDOW_FROM groups
// the table scrolls in its own box with fixed-height rows and only the rows in view (plus a few) are in the page,
// so a refresh costs the same with 200 groups as with 20.
import { memo, useEffect, useRef, useState } from 'react';
import { rowWindow } from '../diagnostics/virtual-window.js';
import { ago, groupValues, intervalText, type Group } from './format.js';
import { Sparkline } from './Sparkline.js';

/** Groups from which the table scrolls in its own box and renders only the rows in view. */
export const WINDOW_FROM = 40;
/** A windowed row's height, px (discovery.css: .live-groups.windowed tr). */
export const ROW_HEIGHT = 50;
const OVERSCAN = 4;
/** The scroll box's height before it is measured (it is min(70vh, 720px)). */
const DEFAULT_VIEWPORT = 640;

export function GroupsTable({ groups, now }: { groups: Group[]; now: number }) {
  const windowed = groups.length >= WINDOW_FROM;
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ scrollTop: 0, height: DEFAULT_VIEWPORT });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      setView((v) => (v.scrollTop === el.scrollTop && v.height === el.clientHeight ? v : { scrollTop: el.scrollTop, height: el.clientHeight }));
    };
    const onScroll = () => {
      frame ||= requestAnimationFrame(measure);
    };
    measure();
    el.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      cancelAnimationFrame(frame);
      el.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
    };
  }, [windowed]);
  const w = windowed ? rowWindow({ rowCount: groups.length, rowHeight: ROW_HEIGHT, viewportHeight: view.height, scrollTop: view.scrollTop, overscan: OVERSCAN }) : null;
  const shown = w ? groups.slice(w.start, w.end) : groups;
  const table = (
    <table className={windowed ? 'groups-table live-groups windowed' : 'groups-table live-groups'} aria-rowcount={groups.length + 1} data-groups={groups.length}>
      <thead>
        <tr aria-rowindex={1}>
          <th>Group</th>
          <th>Master</th>
          <th>Vendor</th>
          <th>Values</th>
          <th>Interval</th>
          <th>Last seen</th>
          <th>Advertisements</th>
        </tr>
      </thead>
      <tbody>
        {w && w.start > 0 && <Spacer height={w.start * ROW_HEIGHT} />}
        {shown.map((g, i) => (
          <GroupRow key={g.id} g={g} seenAgo={ago(now - g.lastSeen)} index={(w?.start ?? 0) + i + 2} />
        ))}
        {w && w.end < groups.length && <Spacer height={(groups.length - w.end) * ROW_HEIGHT} />}
      </tbody>
    </table>
  );
  return windowed ? (
    <div className="live-groups-scroll" ref={box}>
      {table}
    </div>
  ) : (
    table
  );
}

/** Stands in for the rows out of view, so the scrollbar stays true. */
function Spacer({ height }: { height: number }) {
  return (
    <tr className="spacer" aria-hidden="true">
      <td colSpan={7} style={{ height }} />
    </tr>
  );
}

const GroupRow = memo(function GroupRow({ g, seenAgo, index }: { g: Group; seenAgo: string; index: number }) {
  const others = g.sources.filter((x) => x !== g.master?.address).join(', ');
  const backups = g.backups && g.backups.length > 0 ? g.backups.map((b) => `${b.node} (${b.address})`).join(', ') : '';
  return (
    <tr data-group={g.id} aria-rowindex={index} className={g.state === 'silent' ? 'silent' : undefined}>
      <td>
        <span className="group-id">{g.id}</span> <span className="kind">{g.kind}</span>
      </td>
      <td>
        {g.master ? (
          <div className="master-cell">
            <span className="master">{g.master.address}</span>
            <span className="mac">{g.master.mac ?? ''}</span>
            {others && (
              <span className="also-heard" title={`also heard: ${others}`}>
                also heard: {others}
              </span>
            )}
            {backups && (
              <span className="also-heard backups" title={`backup: ${backups}`}>
                backup: {backups}
              </span>
            )}
          </div>
        ) : (
          <span className="silent-note">silent{g.lastMaster ? ` (was ${g.lastMaster})` : ''}</span>
        )}
      </td>
      <td title={g.master?.vendor.basis}>{g.master?.vendor.label ?? ''}</td>
      <td>
        {groupValues(g)}
        {g.demoted && <span className="badge warning">demoted</span>}
      </td>
      <td>{intervalText(g)}</td>
      <td>{seenAgo}</td>
      <td>
        <Sparkline values={g.history} label={`${g.adverts} advertisements`} /> {g.adverts}
      </td>
    </tr>
  );
}, sameRow);

function sameRow(a: { g: Group; seenAgo: string; index: number }, b: { g: Group; seenAgo: string; index: number }): boolean {
  return a.seenAgo === b.seenAgo && a.index === b.index && sameGroup(a.g, b.g);
}

/** Snapshots are fresh objects each time: compare what a row shows. */
export function sameGroup(a: Group, b: Group): boolean {
  if (a === b) return true;
  return (
    a.adverts === b.adverts &&
    a.state === b.state &&
    a.lastMaster === b.lastMaster &&
    a.master?.address === b.master?.address &&
    a.master?.mac === b.master?.mac &&
    a.master?.vendor.id === b.master?.vendor.id &&
    a.kind === b.kind &&
    a.advbase === b.advbase &&
    a.advskew === b.advskew &&
    a.demote === b.demote &&
    a.priority === b.priority &&
    a.demoted === b.demoted &&
    a.announcedInterval === b.announcedInterval &&
    a.measuredInterval === b.measuredInterval &&
    sameList(a.history, b.history) &&
    sameList(a.sources, b.sources) &&
    sameList(
      (a.backups ?? []).map((x) => `${x.node} ${x.address}`),
      (b.backups ?? []).map((x) => `${x.node} ${x.address}`),
    )
  );
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
