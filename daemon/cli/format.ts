import type { CarpdStatus } from '../control/protocol.js';
import { formatStateSync } from '../statesync/status.js';
import { formatSyncStatus } from '../configsync/format.js';
import { formatBeacon } from '../beacon/status.js';
import type { z } from 'zod';
import type { eventSchema } from '../control/protocol.js';

type Event = z.infer<typeof eventSchema>;

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

const counts = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '-';

export function formatStatus(s: CarpdStatus): string {
  const reasons = Object.entries(s.demotionReasons).map(([k, n]) => `${k} +${n}`);
  const lines = [
    `node ${s.node} (pid ${s.pid})  maintenance ${s.maintenance ? 'ON' : 'off'}  demotion ${s.demotion}${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
    '',
    table([
      ['VHID', 'INTERFACE', 'STATE', 'ADVBASE', 'ADVSKEW', 'SENT SKEW', 'DEMOTE', 'MASTER', 'HEARD', 'SENT', 'RECEIVED', 'REJECTED'],
      ...s.vhids.map((v) => [
        String(v.vhid),
        v.interface,
        v.state,
        String(v.advbase),
        String(v.advskew),
        String(v.advskewSent),
        String(v.demote),
        v.master ?? '-',
        v.lastHeardSecondsAgo === null ? '-' : `${v.lastHeardSecondsAgo.toFixed(2)} s ago`,
        String(v.sent),
        String(v.received),
        counts(v.rejected),
      ]),
    ]),
  ];
  if (Object.keys(s.unmatched).length) lines.push('', `not for any vhid: ${counts(s.unmatched)}`);
  if (s.stateSync) lines.push('', formatStateSync(s.stateSync));
  if (s.configSync) lines.push('', formatSyncStatus(s.configSync));
  if (s.beacon) lines.push('', formatBeacon(s.beacon));
  return lines.join('\n');
}

export function formatEvent(e: Event): string {
  const where = e.kind === 'state' ? `vhid ${e.vhid}@${e.interface}` : e.kind === 'state-sync' ? `state sync ${e.event}` : e.kind === 'config-sync' ? `config sync ${e.event}` : 'demotion';
  return `#${e.seq} ${e.time} ${e.node} ${where}: ${e.cause}`;
}
