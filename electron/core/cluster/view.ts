// carpd's status (carpctl status --json) as the control panel shows it: per vhid the state and why, demotion with
// reasons, and one line each for state sync and config sync health (details as carpctl prints them).
import type { z } from 'zod';
import type { ClusterNode, SyncHealthSchema } from '../../../shared/api/cluster-contract.js';
import { formatSyncStatus } from '../../../daemon/configsync/format.js';
import type { ConfigSyncStatusWire } from '../../../daemon/configsync/status.js';
import { statusSchema, type CarpdStatus } from '../../../daemon/control/protocol.js';
import { formatStateSync, type StateSyncStatusWire } from '../../../daemon/statesync/status.js';
import { explainVhid, type PeerStatus } from './why.js';

type SyncHealth = z.infer<typeof SyncHealthSchema>;
export type CarpdView = NonNullable<ClusterNode['carpd']>;

/** carpctl status --json output, checked against carpd's own schema; undefined when it is not a status. */
export function parseStatus(json: unknown): CarpdStatus | undefined {
  const r = statusSchema.safeParse(json);
  return r.success ? r.data : undefined;
}

const ago = (seconds: number) => (seconds < 120 ? `${Math.round(seconds)} s ago` : seconds < 7200 ? `${Math.round(seconds / 60)} min ago` : `${Math.round(seconds / 3600)} h ago`);

export function stateSyncHealth(s: StateSyncStatusWire, now: number): SyncHealth {
  const problems: string[] = [];
  if (!s.conntrackd.running) problems.push('conntrackd NOT running');
  if (!s.peerReachable) problems.push(s.lastHeardSecondsAgo === null ? 'peer never heard' : `peer NOT reachable (last heard ${ago(s.lastHeardSecondsAgo)})`);
  if (!s.ready) problems.push(`not ready: ${s.readyReason}`);
  if (s.stall) problems.push(`stall: ${s.stall}`);
  const states = s.states.kernel ?? s.states.internalCache;
  const bulk = s.lastBulkSync ? `last bulk sync ${ago(Math.max(0, (now - Date.parse(s.lastBulkSync)) / 1000))}` : 'no bulk sync yet';
  const summary =
    problems.length > 0
      ? problems.join('; ')
      : `peer reachable, ${states === null ? '?' : states.toLocaleString('en-US')} states, ${bulk}`;
  return { healthy: problems.length === 0, summary, details: formatStateSync(s).split('\n') };
}

export function configSyncHealth(s: ConfigSyncStatusWire): SyncHealth {
  const drifted = s.sections.filter((x) => x.state === 'drifted').map((x) => x.name);
  const problems: string[] = [];
  if (s.peer.reachable === false) problems.push(`peer ${s.peer.address} UNREACHABLE${s.peer.error ? `: ${s.peer.error}` : ''}`);
  if (drifted.length > 0) problems.push(`drifted: ${drifted.join(', ')}`);
  if (s.lastPush && !s.lastPush.ok) problems.push(`last push failed: ${s.lastPush.error ?? 'unknown error'}`);
  const synced = s.sections.filter((x) => x.state === 'in-sync').length;
  const last = Math.min(...s.sections.map((x) => x.lastSyncAgeSeconds ?? Infinity));
  const summary =
    problems.length > 0
      ? problems.join('; ')
      : `${s.role}, peer ${s.peer.reachable === null ? 'not contacted yet' : 'reachable'}, ${synced}/${s.sections.length} sections in sync${Number.isFinite(last) ? `, last sync ${ago(last)}` : ''}${s.pending ? ', a change is waiting to be pushed' : ''}`;
  return { healthy: problems.length === 0, summary, details: formatSyncStatus(s).split('\n') };
}

export function carpdView(status: CarpdStatus, version: string | null, peers: readonly PeerStatus[], now: number): CarpdView {
  return {
    running: true,
    name: status.node,
    version,
    maintenance: status.maintenance,
    demotion: status.demotion,
    demotionReasons: status.demotionReasons,
    vhids: status.vhids.map((v) => ({
      vhid: v.vhid,
      interface: v.interface,
      state: v.state,
      vips: v.vips,
      advbase: v.advbase,
      advskew: v.advskew,
      demotion: v.demotion,
      master: v.master,
      why: explainVhid(status, v, peers),
    })),
    stateSync: status.stateSync ? stateSyncHealth(status.stateSync, now) : null,
    configSync: status.configSync ? configSyncHealth(status.configSync) : null,
  };
}
