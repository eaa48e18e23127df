// Words and numbers for the Discovery view.
import type { DiscoveryUpdate } from '../../../shared/api/contract.js';

type Snapshot = Extract<DiscoveryUpdate, { kind: 'snapshot' }>['snapshot'];
export type Group = Snapshot['groups'][number];
export type LiveFinding = Snapshot['findings'][number];

export function groupValues(g: Group): string {
  if (g.protocol === 'carp') return `advbase ${g.advbase} · advskew ${g.advskew}${g.demote ? ` · demote ${g.demote}` : ''}`;
  return `priority ${g.priority}`;
}

export function intervalText(g: Group): string {
  const announced = `${g.announcedInterval.toFixed(2)} s`;
  return g.measuredInterval === null ? announced : `${announced} (measured ${g.measuredInterval.toFixed(2)} s)`;
}

export function ago(seconds: number): string {
  if (seconds < 1) return 'just now';
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  return `${Math.round(seconds / 60)} min ago`;
}

export function clock(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(11, 19);
}
