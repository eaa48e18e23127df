// carpd and ucarp (Debian package) sharing one IPv4 VIP, in both roles: election, failover each way, preemption
// back, and ucarp taking over at once when carpd bows out (advbase 255 / advskew 255) on SIGTERM.
import { describe, expect, it } from 'vitest';
import {
  buildPair,
  LAN,
  sleep,
  startCarpd,
  startPinger,
  startUcarp,
  waitFor,
  type Carpd,
  type CarpdConfig,
  type PairTopology,
  type Ucarp,
} from '../harness/index.js';
import { useLab } from '../harness/vitest.js';
import { holds, lastSeq, skipCarpdLab, stateEventsSince, vhid, waitStates } from './common.js';

const VIP = LAN.vip4;
const PASSWORD = 'interop';
const HARD_BOUND_S = 3 + 100 / 256 + 0.1;
const carpdConfig = (node: string, advskew: number): CarpdConfig => ({
  node,
  vhids: [vhid(1, 'lan', advskew, [`${VIP}/24`], { password: PASSWORD, compat: 'ucarp' })],
});
const ucarpOptions = (srcip: string, advskew: number) => ({ ifname: 'lan', srcip, vhid: 1, password: PASSWORD, vip: `${VIP}/24`, advbase: 1, advskew });
const ucarpBecameMaster = (u: Ucarp) => (u.proc.output().match(/Switching to state: MASTER/g) ?? []).length;

describe.skipIf(skipCarpdLab(['ucarp']))('carpd with ucarp on one IPv4 VIP', () => {
  let t: PairTopology;
  const lab = useLab('cucarp', async (l) => {
    t = await buildPair(l);
  });
  const vipOnlyOn = (node: 'fw1' | 'fw2') => async () =>
    (await holds(lab(), t[node], 'lan', VIP)) && !(await holds(lab(), t[node === 'fw1' ? 'fw2' : 'fw1'], 'lan', VIP));

  describe('carpd master, ucarp backup', () => {
    let carpd: Carpd;
    let ucarp: Ucarp;

    it('ucarp accepts carpd as master and stays BACKUP, without digest errors', async () => {
      carpd = await startCarpd(lab(), t.fw1, carpdConfig('fw1', 0));
      await carpd.waitState(1, 'MASTER', 10_000);
      ucarp = startUcarp(lab(), t.fw2, ucarpOptions(LAN.fw2, 100));
      await ucarp.proc.waitForOutput(/Switching to state: BACKUP/, 10_000);
      await sleep(5000); // longer than ucarp's master-down interval
      expect(await vipOnlyOn('fw1')()).toBe(true);
      expect(ucarpBecameMaster(ucarp)).toBe(0);
      expect(ucarp.proc.output()).not.toMatch(/Bad digest/);
    });

    it('fails over from carpd to ucarp on a link cut, and carpd preempts back when the link returns', async () => {
      await lab().linkDown(t.fw1, 'lan');
      await waitFor('ucarp on fw2 to take the VIP', () => holds(lab(), t.fw2, 'lan', VIP), 10_000, 50);
      await lab().linkUp(t.fw1, 'lan');
      await carpd.waitState(1, 'MASTER', 10_000);
      await waitFor('ucarp to give the VIP back', vipOnlyOn('fw1'), 10_000, 50);
      expect(ucarp.proc.output()).toMatch(/Preferred master advertised: going back to BACKUP state/);
      expect((await carpd.status()).vhids[0].rejected?.['bad-auth'] ?? 0).toBe(0);
    });

    it('ucarp takes over at once when carpd bows out on SIGTERM (no master-down wait)', async () => {
      await sleep(1500);
      const pinger = startPinger(lab(), t.client, VIP);
      await pinger.waitForReply();
      await sleep(300);
      await carpd.proc.stop('SIGTERM');
      await waitFor('ucarp on fw2 to take the VIP', () => holds(lab(), t.fw2, 'lan', VIP), 10_000, 20);
      await pinger.waitForReply(5000);
      const report = await pinger.stop();
      // ucarp reacts to the 255/255 advert itself: with -P through its preemption rule, otherwise "going to time out"
      expect(ucarp.proc.output()).toMatch(/Putting MASTER (down - preemption|DOWN \(going to time out\))/);
      // ucarp reads packets with up to ~1 s libpcap latency; a timeout would take at least 3 s
      expect(report.longest).toBeLessThan(2);
      await ucarp.proc.stop('SIGTERM');
    });
  });

  describe('ucarp master, carpd backup', () => {
    let carpd: Carpd;
    let ucarp: Ucarp;

    it('carpd accepts ucarp as master and stays BACKUP', async () => {
      ucarp = startUcarp(lab(), t.fw1, ucarpOptions(LAN.fw1, 0));
      await waitFor('ucarp on fw1 to take the VIP', vipOnlyOn('fw1'), 10_000, 50);
      carpd = await startCarpd(lab(), t.fw2, carpdConfig('fw2', 100));
      await carpd.waitState(1, 'BACKUP', 10_000);
      const since = await lastSeq(carpd);
      await sleep(4500);
      expect(await stateEventsSince(carpd, since)).toEqual([]);
      expect(await vipOnlyOn('fw1')()).toBe(true);
      const v = (await carpd.status()).vhids[0];
      expect(v.received).toBeGreaterThanOrEqual(3);
      expect(v.rejected?.['bad-auth'] ?? 0).toBe(0);
    });

    it(`fails over from ucarp to carpd within ${HARD_BOUND_S.toFixed(2)} s on a link cut, and ucarp preempts back`, async () => {
      const pinger = startPinger(lab(), t.client, VIP);
      await pinger.waitForReply();
      await sleep(300);
      await lab().linkDown(t.fw1, 'lan');
      await carpd.waitState(1, 'MASTER', 10_000);
      await pinger.waitForReply(5000);
      const report = await pinger.stop();
      expect(report.longest).toBeLessThanOrEqual(HARD_BOUND_S);

      await lab().linkUp(t.fw1, 'lan');
      await waitStates([[carpd, 1, 'BACKUP']], 15_000);
      await waitFor('ucarp on fw1 alone to hold the VIP', vipOnlyOn('fw1'), 10_000, 50);
      expect(ucarpBecameMaster(ucarp)).toBe(2); // at start, and again after the cable came back
    });
  });
});
