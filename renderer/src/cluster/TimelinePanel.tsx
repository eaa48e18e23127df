// The live event timeline merged from every node: newest first, filters, export, and failover notifications.
import { useId, useMemo, useState } from 'react';
import type { TimelineEvent } from '../../../shared/api/cluster-contract.js';
import { downloadText } from '../diagnostics/download.js';
import type { FailoverNotifications } from './notifications.js';
import { changeText, EVENT_KINDS, eventClock, exportFileName, filterEvents, isFiltered, NO_FILTER, timelineCsv, timelineJson, type TimelineFilter } from './timeline.js';
import type { TimelineState } from './use-timeline.js';

/** Rows rendered at once; the filters and the export still cover every event held. */
const SHOWN = 500;

export function TimelinePanel({ timeline, nodes, notifications }: { timeline: TimelineState; nodes: string[]; notifications: FailoverNotifications }) {
  const id = useId();
  const [filter, setFilter] = useState<TimelineFilter>(NO_FILTER);
  const set = (f: Partial<TimelineFilter>) => setFilter((old) => ({ ...old, ...f }));
  const { events } = timeline;
  const shown = useMemo(() => filterEvents(events, filter), [events, filter]);
  const nodeChoices = useMemo(() => [...new Set([...nodes, ...events.map((e) => e.node)])].sort(), [nodes, events]);
  const vhidChoices = useMemo(() => [...new Set(events.map((e) => e.vhid).filter((v): v is number => v !== null))].sort((a, b) => a - b), [events]);
  const save = (ext: 'json' | 'csv') =>
    downloadText(ext === 'json' ? timelineJson(shown) : timelineCsv(shown), exportFileName(ext), ext === 'json' ? 'application/json' : 'text/csv');

  return (
    <section className="panel timeline-panel" aria-labelledby={`${id}-h`}>
      <div className="panel-head">
        <h2 id={`${id}-h`}>Event timeline</h2>
        <div className="timeline-tools">
          <span className={`stream-state ${timeline.status}`} role="status" aria-label="Timeline stream">
            {timeline.status === 'live' ? 'Live' : timeline.status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
            {timeline.resumes > 0 && timeline.status === 'live' && ` (resumed ${timeline.resumes}×, nothing missed)`}
          </span>
          <NotificationToggle notifications={notifications} />
          <button type="button" className="button" onClick={() => save('json')} disabled={shown.length === 0}>
            Export JSON
          </button>
          <button type="button" className="button" onClick={() => save('csv')} disabled={shown.length === 0}>
            Export CSV
          </button>
        </div>
      </div>
      {timeline.error && timeline.status !== 'live' && <p className="hint">Timeline interrupted ({timeline.error.message}); picking it up again where it stopped.</p>}
      <div className="timeline-filters" role="group" aria-label="Timeline filters">
        <label>
          Node
          <select value={filter.node} onChange={(e) => set({ node: e.target.value })}>
            <option value="">all nodes</option>
            {nodeChoices.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select value={filter.kind} onChange={(e) => set({ kind: e.target.value })}>
            <option value="">all kinds</option>
            {EVENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          vhid
          <select value={filter.vhid} onChange={(e) => set({ vhid: e.target.value })}>
            <option value="">all vhids</option>
            {vhidChoices.map((v) => (
              <option key={v} value={String(v)}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="cluster-check">
          <input type="checkbox" checked={filter.failoversOnly} onChange={(e) => set({ failoversOnly: e.target.checked })} /> Failovers only
        </label>
        <label className="wide">
          Search
          <input type="search" value={filter.text} onChange={(e) => set({ text: e.target.value })} placeholder="cause, node, state" />
        </label>
        {isFiltered(filter) && (
          <button type="button" className="button subtle" onClick={() => setFilter(NO_FILTER)}>
            Clear filters
          </button>
        )}
      </div>
      {events.length === 0 ? (
        <p className="empty-note">No events yet. State changes, demotions, sync problems and actions of every connected node appear here as they happen.</p>
      ) : shown.length === 0 ? (
        <p className="empty-note">No event matches these filters ({events.length} held).</p>
      ) : (
        <EventTable events={shown} />
      )}
      <p className="hint" data-testid="timeline-count">
        {shown.length === events.length ? `${events.length} events` : `${shown.length} of ${events.length} events`}, newest first; the export holds the events shown.
      </p>
    </section>
  );
}

function EventTable({ events }: { events: TimelineEvent[] }) {
  const rows = events.slice(-SHOWN).reverse();
  return (
    <table className="groups-table timeline-table" aria-label="Events">
      <thead>
        <tr>
          <th>Time (UTC)</th>
          <th>Node</th>
          <th>Kind</th>
          <th>vhid</th>
          <th>Change</th>
          <th>Cause</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <tr key={e.seq} data-seq={e.seq} className={e.failover ? 'failover' : undefined}>
            <td className="mono">
              <time dateTime={new Date(e.time).toISOString()}>{eventClock(e.time)}</time>
            </td>
            <td className="mono">{e.node}</td>
            <td>
              {e.kind}
              {e.failover && <span className="badge failover-badge">failover</span>}
            </td>
            <td>{e.vhid ?? ''}</td>
            <td className="change">{changeText(e)}</td>
            <td>{e.cause}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NotificationToggle({ notifications: n }: { notifications: FailoverNotifications }) {
  const note =
    n.permission === 'denied'
      ? 'Notifications are blocked for this page; allow them in the browser\'s site settings.'
      : n.permission === 'unsupported'
        ? 'This browser shows no desktop notifications.'
        : undefined;
  return (
    <>
      <label className="cluster-check notify-toggle" title="A desktop notification for every failover">
        <input type="checkbox" role="switch" checked={n.enabled} disabled={n.permission === 'unsupported'} onChange={() => void n.toggle()} /> Enable notifications
      </label>
      {note && (
        <span className="hint notify-note" role="note">
          {note}
        </span>
      )}
    </>
  );
}
