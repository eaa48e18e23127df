import type { SyncError } from './errors.js';
import type { SectionDiff } from './service.js';
import type { ConfigSyncStatusWire as ConfigSyncStatus } from './status.js';

// Text for carpctl: `status` (per section in-sync / drifted, last sync and its age), `sync-config push|diff`.

function age(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

export function formatSyncStatus(s: ConfigSyncStatus): string {
  const peer = s.peer.reachable === null ? 'not contacted yet' : s.peer.reachable ? `reachable (last contact ${s.peer.lastContact})` : `UNREACHABLE: ${s.peer.error}`;
  const lines = [`config sync: ${s.role}, peer ${s.peer.address} ${peer}${s.pending ? ', a change is waiting to be pushed' : ''}`];
  const width = Math.max(8, ...s.sections.map((x) => x.name.length));
  for (const x of s.sections) {
    const when = x.lastSync ? `last sync ${x.lastSync} (${age(x.lastSyncAgeSeconds)})` : 'never synced';
    lines.push(`  ${x.name.padEnd(width)}  ${x.state.toUpperCase().padEnd(8)}  ${when}`);
  }
  if (s.lastPush && !s.lastPush.ok) lines.push(`  last push FAILED at ${s.lastPush.time}: ${s.lastPush.error}`);
  return lines.join('\n');
}

export function formatDiff(diffs: readonly SectionDiff[]): string {
  return diffs.map((d) => `== ${d.name}: ${d.diff ? `\n${d.diff}` : 'no change'}`).join('\n');
}

export function formatPush(r: { ok: true; value: { changed: string[]; unchanged: string[] } } | { ok: false; error: SyncError }): string {
  if (!r.ok) return `push failed (${r.error.code}): ${r.error.message}`;
  const changed = r.value.changed.length ? `applied on the peer: ${r.value.changed.join(', ')}` : 'the peer was already up to date';
  return `${changed}${r.value.unchanged.length && r.value.changed.length ? `; unchanged: ${r.value.unchanged.join(', ')}` : ''}`;
}
