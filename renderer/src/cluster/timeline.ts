// The merged event timeline as the panel holds it: events in the backend's merge order (seq), each seq once, and
// the filters and exports over them.
import type { TimelineEvent } from '../../../shared/api/cluster-contract.js';

/** Older events are dropped beyond this many (the export says so by its count). */
export const MAX_EVENTS = 5000;

export const EVENT_KINDS: readonly TimelineEvent['kind'][] = ['state', 'demotion', 'state-sync', 'config-sync', 'connection', 'action'];

/**
 * `held` with `event` added in seq order; a seq already held is ignored (a replay after a reconnect), so the
 * timeline never shows an event twice. Returns `held` itself when nothing changed.
 */
export function addEvent(held: readonly TimelineEvent[], event: TimelineEvent, max = MAX_EVENTS): readonly TimelineEvent[] {
  const last = held.at(-1);
  let next: TimelineEvent[];
  if (!last || event.seq > last.seq) next = [...held, event];
  else {
    if (held.length >= max && event.seq < held[0].seq) return held;
    let lo = 0;
    let hi = held.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (held[mid].seq < event.seq) lo = mid + 1;
      else hi = mid;
    }
    if (held[lo]?.seq === event.seq) return held;
    next = [...held.slice(0, lo), event, ...held.slice(lo)];
  }
  return next.length > max ? next.slice(next.length - max) : next;
}

export interface TimelineFilter {
  /** '' = every node. */
  node: string;
  /** '' = every kind. */
  kind: string;
  /** '' = every vhid. */
  vhid: string;
  failoversOnly: boolean;
  /** Case-insensitive, in the node, the cause and the old and new values. */
  text: string;
}

export const NO_FILTER: TimelineFilter = { node: '', kind: '', vhid: '', failoversOnly: false, text: '' };

export function filterEvents(events: readonly TimelineEvent[], f: TimelineFilter): TimelineEvent[] {
  const text = f.text.trim().toLowerCase();
  return events.filter(
    (e) =>
      (f.node === '' || e.node === f.node) &&
      (f.kind === '' || e.kind === f.kind) &&
      (f.vhid === '' || String(e.vhid) === f.vhid) &&
      (!f.failoversOnly || e.failover) &&
      (text === '' || [e.node, e.cause, e.old ?? '', e.new ?? ''].some((s) => s.toLowerCase().includes(text))),
  );
}

export function isFiltered(f: TimelineFilter): boolean {
  return f.node !== '' || f.kind !== '' || f.vhid !== '' || f.failoversOnly || f.text.trim() !== '';
}

/** "12:03:04.250" in UTC, the way the nodes' logs read. */
export function eventClock(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 23);
}

export function changeText(e: TimelineEvent): string {
  if (e.old === null && e.new === null) return '';
  return `${e.old ?? '—'} → ${e.new ?? '—'}`;
}

export function timelineJson(events: readonly TimelineEvent[]): string {
  return `${JSON.stringify({ exported: events.length, events }, null, 2)}\n`;
}

const CSV_COLUMNS = ['seq', 'time', 'node', 'nodeSeq', 'kind', 'vhid', 'old', 'new', 'cause', 'failover'] as const;

/** RFC 4180 CSV, time as ISO 8601 UTC. Text from the nodes that a spreadsheet would run as a formula is quoted with a leading apostrophe. */
export function timelineCsv(events: readonly TimelineEvent[]): string {
  const rows = events.map((e) =>
    [String(e.seq), new Date(e.time).toISOString(), text(e.node), String(e.nodeSeq), e.kind, e.vhid === null ? '' : String(e.vhid), text(e.old ?? ''), text(e.new ?? ''), text(e.cause), String(e.failover)]
      .map(cell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

function text(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function cell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** "carpdeck-timeline-2026-11-26T05-10-00Z.csv" */
export function exportFileName(ext: 'json' | 'csv', now = new Date()): string {
  return `carpdeck-timeline-${now.toISOString().slice(0, 19).replaceAll(':', '-')}Z.${ext}`;
}
