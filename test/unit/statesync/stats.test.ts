import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStats } from '../../../daemon/statesync/stats.js';
import { statsText } from './fixtures.js';

describe('conntrackd -s parsing', () => {
  it('reads caches, messages and losses from the output of conntrackd 1.4.7', () => {
    const text = readFileSync(join(import.meta.dirname, 'conntrackd-stats.txt'), 'utf8');
    const r = parseStats(text);
    expect(r).toEqual({
      ok: true,
      stats: {
        internal: { active: 2, created: 5, updated: 7, destroyed: 3, failed: 0 },
        external: { active: 1000, created: 1002, updated: 40, destroyed: 2, failed: 1 },
        packetsSent: 41,
        packetsReceived: 2037,
        sendErrors: 0,
        receiveErrors: 0,
        malformed: 0,
        lost: 4,
      },
    });
  });

  it('reads multicast transport counters the same way', () => {
    const r = parseStats(statsText({ transport: 'multicast', sent: 9, recv: 11 }));
    expect(r.ok && [r.stats.packetsSent, r.stats.packetsReceived]).toEqual([9, 11]);
  });

  it('reports unexpected output instead of returning zeros', () => {
    const r = parseStats('connect: No such file or directory\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('unexpected output of conntrackd -s');
  });
});
