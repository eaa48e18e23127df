import { describe, expect, it } from 'vitest';
import { carpdView, configSyncHealth, stateSyncHealth } from '../../../electron/core/cluster/view.js';
import type { StateSyncStatusWire } from '../../../daemon/statesync/status.js';
import type { ConfigSyncStatusWire } from '../../../daemon/configsync/status.js';
import { status, vhid } from './fixtures.js';

const now = Date.parse('2026-01-01T12:00:00Z');

function stateSync(over: Partial<StateSyncStatusWire> = {}): StateSyncStatusWire {
  return {
    interface: 'sync',
    peer: '10.0.3.2',
    transport: 'unicast',
    localAddress: '10.0.3.1',
    conntrackd: { running: true, pid: 42, restarts: 0, lastExit: null },
    ready: true,
    readyReason: 'peer in sync',
    peerReachable: true,
    lastHeardSecondsAgo: 0.5,
    states: { kernel: 1204, internalCache: 1204, externalCache: 1190 },
    lastBulkSync: '2026-01-01T11:59:48Z',
    lastCommit: null,
    messages: { sent: 10, received: 10, lost: 0, malformed: 0, sendErrors: 0, receiveErrors: 0 },
    stall: null,
    errors: [],
    ...over,
  };
}

function configSync(over: Partial<ConfigSyncStatusWire> = {}): ConfigSyncStatusWire {
  return {
    role: 'source',
    fingerprint: 'ab',
    peer: { address: '10.0.3.2', reachable: true, lastContact: '2026-01-01T11:59:59Z', error: null },
    sections: [
      { name: 'nftables', checksum: 'a', peerChecksum: 'a', state: 'in-sync', lastSync: '2026-01-01T11:59:00Z', lastSyncAgeSeconds: 60 },
      { name: 'carpd', checksum: 'b', peerChecksum: 'b', state: 'in-sync', lastSync: '2026-01-01T11:58:00Z', lastSyncAgeSeconds: 120 },
    ],
    lastPush: null,
    pending: false,
    ...over,
  };
}

describe('sync health lines for the panel', () => {
  it('healthy state sync: peer reachable, states, last bulk sync age', () => {
    const h = stateSyncHealth(stateSync(), now);
    expect(h).toMatchObject({ healthy: true, summary: 'peer reachable, 1,204 states, last bulk sync 12 s ago' });
    expect(h.details[0]).toMatch(/^state sync: peer 10\.0\.3\.2 on sync/);
  });

  it('unhealthy state sync names each problem', () => {
    const h = stateSyncHealth(stateSync({ peerReachable: false, lastHeardSecondsAgo: 30, conntrackd: { running: false, pid: null, restarts: 2, lastExit: 'signal 9' } }), now);
    expect(h.healthy).toBe(false);
    expect(h.summary).toBe('conntrackd NOT running; peer NOT reachable (last heard 30 s ago)');
  });

  it('config sync: sections in sync, or what drifted', () => {
    expect(configSyncHealth(configSync())).toMatchObject({ healthy: true, summary: 'source, peer reachable, 2/2 sections in sync, last sync 60 s ago' });
    const drifted = configSyncHealth(configSync({ sections: [{ name: 'nftables', checksum: 'a', peerChecksum: 'c', state: 'drifted', lastSync: null, lastSyncAgeSeconds: null }] }));
    expect(drifted).toMatchObject({ healthy: false, summary: 'drifted: nftables' });
  });

  it('maps a carpd status to the node view with the why of each vhid', () => {
    const s = status('fw1', [vhid({ state: 'MASTER', master: 'this node' })], { stateSync: stateSync(), configSync: configSync() });
    const v = carpdView(s, '0.1.0-abc', [], now);
    expect(v).toMatchObject({ running: true, name: 'fw1', version: '0.1.0-abc', vhids: [{ vhid: 1, state: 'MASTER', why: expect.stringMatching(/^MASTER: peer not heard/) }], stateSync: { healthy: true }, configSync: { healthy: true } });
  });
});
