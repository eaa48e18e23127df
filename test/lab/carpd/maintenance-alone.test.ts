// Maintenance on a master whose peer is gone: nobody can take over, so the VIPs must stay up on this node.
import { describe, expect, it } from 'vitest';
import { buildPair, createLab, sleep, startCarpd } from '../harness/index.js';
import { holds, lastSeq, skipCarpdLab, stateEventsSince, vhid } from './common.js';

const LAN_VIP = '10.0.1.1';

describe.skipIf(skipCarpdLab())('carpd maintenance with no peer', () => {
  it('keeps the VIP on the master (no outage) and hands it to a peer that starts later', async () => {
    const l = await createLab('cmalone');
    try {
      const t = await buildPair(l);
      const fw1 = await startCarpd(l, t.fw1, { node: 'fw1', vhids: [vhid(1, 'lan', 0, [`${LAN_VIP}/24`])] });
      await fw1.waitState(1, 'MASTER', 10_000);
      const since = await lastSeq(fw1);
      const r = await fw1.ctl(['maintenance', 'on']);
      expect(r.code, r.stderr).toBe(0);
      // longer than a master-down interval (3 s + 240/256 s): the old behaviour dropped the VIP for that long
      for (let i = 0; i < 10; i++) {
        await sleep(450);
        expect(await holds(l, t.fw1, 'lan', LAN_VIP)).toBe(true);
      }
      expect(await fw1.state(1)).toBe('MASTER');
      expect(await stateEventsSince(fw1, since)).toEqual([]);
      expect((await fw1.status()).maintenance).toBe(true);

      const fw2 = await startCarpd(l, t.fw2, { node: 'fw2', vhids: [vhid(1, 'lan', 100, [`${LAN_VIP}/24`])] });
      await fw2.waitState(1, 'MASTER', 10_000);
      await fw1.waitState(1, 'BACKUP', 5_000);
      const events = await stateEventsSince(fw1, since);
      expect(events.map((e) => e.cause)).toEqual([expect.stringMatching(/MASTER -> BACKUP: .*10\.0\.1\.3/)]);
    } finally {
      await l.cleanup();
    }
  });
});
