// Failover as a client sees it: pings to the IPv4 and IPv6 VIPs every 20 ms across link cut, SIGKILL, SIGTERM and
// maintenance mode on the master (advbase 1, backup advskew 100).
import { describe, expect, it } from 'vitest';
import {
  buildPair,
  LAN,
  restartCarpd,
  sleep,
  startCarpd,
  startPinger,
  waitFor,
  type Carpd,
  type CarpdConfig,
  type PairTopology,
  type PingReport,
} from '../harness/index.js';
import { useLab } from '../harness/vitest.js';
import { holds, skipCarpdLab, vhid, waitStates } from './common.js';

const VIPS = [LAN.vip4, LAN.vip6];
const HARD_BOUND_S = 3 * 1 + 100 / 256 + 0.1;
const GRACEFUL_BOUND_S = 0.1;
const config = (node: string, advskew: number): CarpdConfig => ({
  node,
  vhids: [vhid(1, 'lan', advskew, [`${LAN.vip4}/24`, `${LAN.vip6}/64`])],
});

describe.skipIf(skipCarpdLab())('carpd failover seen from a client', () => {
  let t: PairTopology;
  let fw1: Carpd;
  let fw2: Carpd;
  const lab = useLab('cfail', async (l) => {
    t = await buildPair(l);
    [fw1, fw2] = await Promise.all([startCarpd(l, t.fw1, config('fw1', 0)), startCarpd(l, t.fw2, config('fw2', 100))]);
  });

  const onlyFw1HoldsVips = async () => {
    await waitStates([[fw1, 1, 'MASTER'], [fw2, 1, 'BACKUP']], 20_000);
    for (const vip of VIPS) {
      await waitFor(`${vip} on fw1 only`, async () => (await holds(lab(), t.fw1, 'lan', vip)) && !(await holds(lab(), t.fw2, 'lan', vip)), 5000);
    }
  };

  /** Pings every VIP across `provoke` until the backup holds them and answers; returns one report per VIP. */
  const drill = async (provoke: () => Promise<void>, vips = VIPS): Promise<PingReport[]> => {
    await onlyFw1HoldsVips();
    const pingers = vips.map((vip) => startPinger(lab(), t.client, vip));
    const stopAll = () => Promise.all(pingers.map((p) => p.stop()));
    try {
      await Promise.all(pingers.map((p) => p.waitForReply()));
      await sleep(300);
      await provoke();
      for (const vip of vips) await waitFor(`${vip} on fw2`, () => holds(lab(), t.fw2, 'lan', vip), 10_000, 20);
      await Promise.all(pingers.map((p) => p.waitForReply(10_000)));
      await sleep(300);
    } catch (err) {
      await stopAll();
      throw err;
    }
    const reports = await stopAll();
    for (const r of reports) expect(r.outages.filter((o) => o.open)).toEqual([]);
    return reports;
  };

  it(`link cut on the master: IPv4 and IPv6 VIPs answer from the backup within 3 x advbase + advskew/256 + 0.1 s`, async () => {
    const [v4, v6] = await drill(() => lab().linkDown(t.fw1, 'lan'));
    expect(v4.longest).toBeGreaterThan(1);
    expect(v4.longest).toBeLessThanOrEqual(HARD_BOUND_S);
    expect(v6.longest).toBeGreaterThan(1);
    expect(v6.longest).toBeLessThanOrEqual(HARD_BOUND_S);
    await lab().linkUp(t.fw1, 'lan');
  });

  it('SIGKILL of the master: the backup takes over within the bound, and the restarted node first removes its stale VIPs', async () => {
    const [v4] = await drill(async () => fw1.proc.kill('SIGKILL'), [LAN.vip4]);
    expect(v4.longest).toBeLessThanOrEqual(HARD_BOUND_S);
    await fw1.proc.exited;
    expect(await holds(lab(), t.fw1, 'lan', LAN.vip4)).toBe(true); // what the crash left behind

    const monitor = lab().spawn(t.fw1, ['ip', '-o', 'monitor', 'address', 'dev', 'lan']);
    await sleep(200);
    await restartCarpd(fw1);
    await waitStates([[fw1, 1, 'MASTER'], [fw2, 1, 'BACKUP']], 15_000);
    monitor.kill('SIGTERM');
    await monitor.exited;
    const lines = monitor.output().split('\n');
    for (const vip of VIPS) {
      const deleted = lines.findIndex((l) => l.startsWith('Deleted') && l.includes(` ${vip}/`));
      const added = lines.findIndex((l) => !l.startsWith('Deleted') && l.includes(` ${vip}/`));
      expect(deleted, `${vip} removed at start`).toBeGreaterThanOrEqual(0);
      expect(added === -1 || added > deleted, `${vip} removed before it is added again`).toBe(true);
    }
  });

  it(`graceful stop (SIGTERM) of the master: the backup takes over with an outage under ${GRACEFUL_BOUND_S} s`, async () => {
    const [v4, v6] = await drill(async () => {
      await fw1.proc.stop('SIGTERM');
    });
    expect(v4.longest).toBeLessThan(GRACEFUL_BOUND_S);
    expect(v6.longest).toBeLessThan(GRACEFUL_BOUND_S);
    expect(await holds(lab(), t.fw1, 'lan', LAN.vip4)).toBe(false);
    await restartCarpd(fw1);
  });

  it(`maintenance on hands over under ${GRACEFUL_BOUND_S} s, persists across a restart, and off takes the VIPs back`, async () => {
    const [v4] = await drill(async () => {
      const r = await fw1.ctl(['maintenance', 'on']);
      expect(r.code).toBe(0);
    }, [LAN.vip4]);
    expect(v4.longest).toBeLessThan(GRACEFUL_BOUND_S);
    await waitStates([[fw1, 1, 'BACKUP'], [fw2, 1, 'MASTER']], 5000);
    expect((await fw1.status()).maintenance).toBe(true);

    await fw1.proc.stop('SIGTERM');
    await restartCarpd(fw1);
    expect((await fw1.status()).maintenance).toBe(true);
    await sleep(4500); // past the master-down interval: a node in maintenance must not preempt
    expect(await fw1.state(1)).toBe('BACKUP');
    expect(await holds(lab(), t.fw1, 'lan', LAN.vip4)).toBe(false);

    const pinger = startPinger(lab(), t.client, LAN.vip4);
    await pinger.waitForReply();
    expect((await fw1.ctl(['maintenance', 'off'])).code).toBe(0);
    await waitStates([[fw1, 1, 'MASTER'], [fw2, 1, 'BACKUP']], 10_000);
    await waitFor('fw2 to release the VIP', async () => !(await holds(lab(), t.fw2, 'lan', LAN.vip4)), 5000);
    await sleep(300);
    const back = await pinger.stop();
    expect((await fw1.status()).maintenance).toBe(false);
    expect(back.longest).toBeLessThan(GRACEFUL_BOUND_S);
  });
});
