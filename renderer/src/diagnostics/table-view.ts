import type { PacketColumns } from './packet-columns.js';

export type SortKey = 'frame' | 'time' | 'kind' | 'group' | 'src' | 'ttl' | 'skewOrPriority' | 'interval' | 'checksum';
export type SortDir = 'asc' | 'desc';

export interface ViewOptions {
  /** Only rows of this group key ("carp:1"); null for all. */
  group: string | null;
  sort: { key: SortKey; dir: SortDir } | null;
}

/** Ranks the interned strings so string columns sort by text, not by interning order. */
function stringRanks(strings: string[]): Uint32Array {
  const order = strings.map((_, i) => i).sort((a, b) => strings[a].localeCompare(strings[b], 'en', { numeric: true }));
  const ranks = new Uint32Array(strings.length);
  order.forEach((id, rank) => (ranks[id] = rank));
  return ranks;
}

function sortValues(cols: PacketColumns, key: SortKey): ArrayLike<number> {
  switch (key) {
    case 'frame':
      return cols.frame;
    case 'time':
      return cols.time;
    case 'kind':
      return cols.kind;
    case 'ttl':
      return cols.ttl;
    case 'skewOrPriority':
      return cols.skewOrPriority;
    case 'interval':
      return cols.interval;
    case 'checksum':
      return cols.flags.map((f) => f & 1);
    case 'group':
    case 'src': {
      const ranks = stringRanks(cols.strings);
      const ids = cols[key];
      const values = new Uint32Array(cols.count);
      for (let i = 0; i < cols.count; i++) values[i] = ranks[ids[i]];
      return values;
    }
  }
}

/**
 * The rows to show, in display order, as indices into the columns; null means "all rows in file order" so the
 * common case costs no memory.
 */
export function computeView(cols: PacketColumns, options: ViewOptions): Uint32Array | null {
  let rows: Uint32Array | null = null;
  if (options.group !== null) {
    const id = cols.strings.indexOf(options.group);
    const picked = new Uint32Array(cols.count);
    let n = 0;
    for (let i = 0; i < cols.count; i++) if (cols.group[i] === id) picked[n++] = i;
    rows = picked.slice(0, n);
  }
  const sort = options.sort;
  if (sort && !(sort.key === 'frame' && sort.dir === 'asc')) {
    if (!rows) {
      rows = new Uint32Array(cols.count);
      for (let i = 0; i < cols.count; i++) rows[i] = i;
    }
    const values = sortValues(cols, sort.key);
    const sign = sort.dir === 'asc' ? 1 : -1;
    rows.sort((a, b) => (values[a] - values[b]) * sign || a - b);
  }
  return rows;
}

/** Position of a column row in the view, or -1 when the view hides it. */
export function viewPosition(view: Uint32Array | null, row: number): number {
  return view ? view.indexOf(row) : row;
}
