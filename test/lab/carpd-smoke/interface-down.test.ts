// `ip link set lan down` on the firewall itself (not a pulled cable): libpcap's socket errors out under carpd. carpd
// must survive it, demote, and capture again once the interface is back up (build/patch-cap.mjs turns cap's abort
// into a 'pollerror' event; without the patch carpd dies with "Assertion `status == 0' failed").
import { describe, expect, it } from 'vitest';
import { buildPair, LAN, startCarpd, waitFor, type Carpd, type PairTopology } from '../harness/index.js';
import { useLab } from '../harness/vitest.js';
import { skipCarpdLab, vhid, waitStates } from '../carpd/common.js';

describe.skipIf(skipCarpdLab())('carpd when its own interface is set down and up', () => {
  let t: PairTopology;
  let fw1: Carpd;
  let fw2: Carpd;
  const lab = useLab('cifdown', async (l) => {
    t = await buildPair(l);
    [fw1, fw2] = await Promise.all([
      startCarpd(l, t.fw1, { node: 'fw1', vhids: [vhid(4, 'lan', 0, [`${LAN.vip4}/24`])] }),
      startCarpd(l, t.fw2, { node: 'fw2', vhids: [vhid(4, 'lan', 100, [`${LAN.vip4}/24`])] }),
    ]);
  });
  const received = async (c: Carpd) => (await c.status()).vhids[0].received ?? 0;
  const setLan = (node: PairTopology['fw1'], state: 'up' | 'down') => lab().execOk(node, ['ip', 'link', 'set', 'lan', state]);

  it('a backup survives, demotes, and hears the master again after the interface comes back', async () => {
    await waitStates([[fw1, 4, 'MASTER'], [fw2, 4, 'BACKUP']], 20_000);
    await setLan(t.fw2, 'down');
    await waitFor('fw2 to notice its link is down', async () => ((await fw2.status()).demotion ?? 0) >= 240, 5_000, 100);
    expect(fw2.proc.running).toBe(true);
    await setLan(t.fw2, 'up');
    await waitStates([[fw2, 4, 'BACKUP']], 10_000);
    const before = await received(fw2);
    await waitFor('fw2 to capture adverts again', async () => (await received(fw2)) >= before + 2, 5_000, 100);
    expect(fw2.proc.output()).toMatch(/capture on lan stopped .*capture reopens when lan is up/);
  });

  it('a 50 ms flap, faster than carpd polls the link, does not leave the capture dead', async () => {
    await setLan(t.fw2, 'down');
    await new Promise((r) => setTimeout(r, 50));
    await setLan(t.fw2, 'up');
    await waitStates([[fw2, 4, 'BACKUP']], 10_000);
    const before = await received(fw2);
    await waitFor('fw2 to capture adverts after the flap', async () => (await received(fw2)) >= before + 2, 6_000, 100);
    expect(fw2.proc.running).toBe(true);
  });

  it('a master whose interface goes down hands over, and takes back over when it returns', async () => {
    await waitStates([[fw1, 4, 'MASTER'], [fw2, 4, 'BACKUP']], 10_000);
    await setLan(t.fw1, 'down');
    await waitStates([[fw2, 4, 'MASTER']], 10_000);
    expect(fw1.proc.running).toBe(true);
    await setLan(t.fw1, 'up');
    await waitStates([[fw1, 4, 'MASTER'], [fw2, 4, 'BACKUP']], 15_000);
    expect(await lab().addresses(t.fw1, 'lan')).toContain(LAN.vip4);
    expect(await lab().addresses(t.fw2, 'lan')).not.toContain(LAN.vip4);
  });
});
