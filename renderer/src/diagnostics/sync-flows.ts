import type { SyncRow } from '../../../shared/analysis/types.js';

/** State-sync traffic summed per protocol and direction: what the Diagnostics view shows instead of every packet. */
export interface SyncFlow {
  kind: SyncRow['kind'];
  src: string;
  dst: string;
  packets: number;
  firstTime: number;
  lastTime: number;
  /** pfsync header versions seen (5 FreeBSD, 6 OpenBSD). */
  versions: number[];
  inserted: number;
  updated: number;
  deleted: number;
  bulkStarts: number;
  bulkEnds: number;
  /** conntrackd messages, all types. */
  messages: number;
}

export class SyncFlowBuilder {
  private readonly flows = new Map<string, SyncFlow>();

  add(row: SyncRow): void {
    const key = `${row.kind} ${row.src} ${row.dst}`;
    let f = this.flows.get(key);
    if (!f) {
      f = {
        kind: row.kind, src: row.src, dst: row.dst, packets: 0, firstTime: row.time, lastTime: row.time,
        versions: [], inserted: 0, updated: 0, deleted: 0, bulkStarts: 0, bulkEnds: 0, messages: 0,
      };
      this.flows.set(key, f);
    }
    f.packets++;
    f.lastTime = row.time;
    if (row.version !== undefined && !f.versions.includes(row.version)) f.versions.push(row.version);
    f.inserted += row.inserted ?? 0;
    f.updated += row.updated ?? 0;
    f.deleted += row.deleted ?? 0;
    if (row.bulkStart) f.bulkStarts++;
    if (row.bulkEnd) f.bulkEnds++;
    f.messages += row.messages?.length ?? 0;
  }

  finish(): SyncFlow[] {
    return [...this.flows.values()].sort((a, b) => a.firstTime - b.firstTime);
  }
}

export function syncFlowsOf(rows: readonly SyncRow[]): SyncFlow[] {
  const b = new SyncFlowBuilder();
  for (const r of rows) b.add(r);
  return b.finish();
}

export function syncPackets(flows: readonly SyncFlow[]): number {
  return flows.reduce((n, f) => n + f.packets, 0);
}
