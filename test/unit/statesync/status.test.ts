import { describe, expect, it } from 'vitest';
import { formatStateSync, stateSyncStatusSchema, type StateSyncStatusWire } from '../../../daemon/statesync/status.js';

const healthy: StateSyncStatusWire = {
  interface: 'sync',
  peer: '10.0.3.3',
  transport: 'unicast',
  localAddress: '10.0.3.2',
  conntrackd: { running: true, pid: 4242, restarts: 1, lastExit: 'killed by SIGKILL at 2026-11-26T02:00:00.000Z' },
  ready: true,
  readyReason: 'bulk resync with the peer done (3 states)',
  peerReachable: true,
  lastHeardSecondsAgo: 0.4,
  states: { kernel: 12, internalCache: 9, externalCache: 3 },
  lastBulkSync: '2026-11-26T02:00:01.000Z',
  lastCommit: { at: '2026-11-26T02:01:00.000Z', ms: 12.34, states: 3, ok: true },
  messages: { sent: 100, received: 90, lost: 2, malformed: 0, sendErrors: 0, receiveErrors: 0 },
  stall: null,
  errors: [],
};

describe('state sync in carpctl status', () => {
  it('shows peer reachability, conntrackd, readiness, states, last bulk sync and commit, and message counters', () => {
    expect(formatStateSync(stateSyncStatusSchema.parse(healthy))).toBe(
      [
        'state sync: peer 10.0.3.3 on sync from 10.0.3.2; peer reachable (heard 0.4 s ago)',
        '  conntrackd running (pid 4242), 1 restart(s), last exit: killed by SIGKILL at 2026-11-26T02:00:00.000Z',
        '  ready: yes (bulk resync with the peer done (3 states))',
        "  states: kernel 12, own (internal cache) 9, peer's (external cache) 3",
        '  last bulk sync: 2026-11-26T02:00:01.000Z; last commit: 2026-11-26T02:01:00.000Z, 3 states in 12.3 ms',
        '  messages: sent 100, received 90, lost 2, malformed 0, send errors 0, receive errors 0',
      ].join('\n'),
    );
  });

  it('makes a broken sync stand out: peer unreachable, conntrackd down, stall, errors', () => {
    const text = formatStateSync({
      ...healthy,
      peerReachable: false,
      lastHeardSecondsAgo: null,
      conntrackd: { running: false, pid: null, restarts: 3, lastExit: null },
      messages: null,
      stall: 'conntrackd has not answered for 10 s',
      errors: [{ at: 't', message: 'conntrackd -c failed' }],
    });
    expect(text).toContain('peer NOT reachable (never heard)');
    expect(text).toContain('conntrackd NOT running, 3 restart(s)');
    expect(text).toContain('messages: unknown (conntrackd not answering)');
    expect(text).toContain('  STALL: conntrackd has not answered for 10 s');
    expect(text).toContain('  error t: conntrackd -c failed');
  });
});
