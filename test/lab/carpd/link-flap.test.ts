// carpd keeps running through repeated cable pulls on its vhid interface. Each pull closes and later reopens its
// capture; the master runs with frequent garbage collection because a closed capture handle that the GC collects
// used to crash carpd (SIGSEGV in cap's Pcap destructor), which otherwise shows only after minutes of flapping.
import { describe, expect, it } from 'vitest';
import { buildPair, LAN, sleep, startCarpd, type Carpd, type PairTopology } from '../harness/index.js';
import { useLab } from '../harness/vitest.js';
import { skipCarpdLab, vhid, waitStates } from './common.js';

const FLAPS = 4;

describe.skipIf(skipCarpdLab())('carpd through repeated link flaps', () => {
  let t: PairTopology;
  let fw1: Carpd;
  let fw2: Carpd;
  const lab = useLab('cflap', async (l) => {
    t = await buildPair(l);
    const cfg = (node: string, advskew: number) => ({ node, vhids: [vhid(1, 'lan', advskew, [`${LAN.vip4}/24`])] });
    [fw1, fw2] = await Promise.all([
      startCarpd(l, t.fw1, cfg('fw1', 0), { nodeFlags: ['--gc-interval=5000'] }),
      startCarpd(l, t.fw2, cfg('fw2', 100)),
    ]);
  });

  it(`survives ${FLAPS} cable pulls on the master and takes its vhid back after each`, async () => {
    for (let i = 0; i < FLAPS; i++) {
      await waitStates([[fw1, 1, 'MASTER'], [fw2, 1, 'BACKUP']], 15_000);
      await sleep(500 + Math.random() * 1000);
      await lab().linkDown(t.fw1, 'lan');
      await waitStates([[fw2, 1, 'MASTER'], [fw1, 1, 'INIT']], 10_000);
      await lab().linkUp(t.fw1, 'lan');
    }
    await waitStates([[fw1, 1, 'MASTER'], [fw2, 1, 'BACKUP']], 15_000);
    await sleep(3000);
    expect(fw1.proc.running).toBe(true);
  });
});
