// carpd's own quick checks of the modes the election suite does not use: virtual MAC with an IPv6 VIP (macvlan
// only on the master, VIPs reachable from a client, nothing stale after SIGKILL), unicast adverts, and hooks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPair, LAN, restartCarpd, startCarpd, waitFor, type Carpd, type CarpdConfig, type PairTopology } from '../harness/index.js';
import { useLab } from '../harness/vitest.js';
import { skipCarpdLab, vhid, waitStates } from '../carpd/common.js';

const VMAC_DEV = 'cv1.lan';

async function links(lab: ReturnType<ReturnType<typeof useLab>>, node: PairTopology['fw1']): Promise<{ ifname: string; address: string }[]> {
  return JSON.parse((await lab.execOk(node, ['ip', '-json', 'link', 'show'])).stdout) as { ifname: string; address: string }[];
}

describe.skipIf(skipCarpdLab(['ping']))('carpd smoke: virtual MAC, IPv6 VIP, hooks', () => {
  let t: PairTopology;
  let fw1: Carpd;
  let fw2: Carpd;
  const config = (node: string, advskew: number, hookFile: string): CarpdConfig => ({
    node,
    hooks: { master: ['/bin/sh', '-c', `echo "$CARP_VHID $CARP_INTERFACE $CARP_STATE $CARP_CAUSE" >> ${hookFile}`] },
    vhids: [vhid(1, 'lan', advskew, [`${LAN.vip4}/24`, `${LAN.vip6}/64`], { virtualMac: true })],
  });
  const lab = useLab('csmoke', async (l) => {
    t = await buildPair(l);
    [fw1, fw2] = await Promise.all([
      startCarpd(l, t.fw1, config('fw1', 0, join(t.fw1.dir, 'hooks.log'))),
      startCarpd(l, t.fw2, config('fw2', 100, join(t.fw2.dir, 'hooks.log'))),
    ]);
  });

  it('puts both VIPs on a macvlan with 00:00:5e:00:01:01 on the master only, reachable from the client', async () => {
    await waitStates([[fw1, 1, 'MASTER'], [fw2, 1, 'BACKUP']], 20_000);
    const vdev = (await links(lab(), t.fw1)).find((l) => l.ifname === VMAC_DEV);
    expect(vdev?.address).toBe('00:00:5e:00:01:01');
    expect(await lab().addresses(t.fw1, VMAC_DEV)).toEqual(expect.arrayContaining([LAN.vip4, LAN.vip6]));
    expect((await links(lab(), t.fw2)).some((l) => l.ifname === VMAC_DEV)).toBe(false);
    await lab().execOk(t.client, ['ping', '-c', '1', '-W', '2', LAN.vip4]);
    await lab().execOk(t.client, ['ping', '-6', '-c', '1', '-W', '2', LAN.vip6]);
    const neigh = (await lab().execOk(t.client, ['ip', 'neigh', 'show', LAN.vip4])).stdout;
    expect(neigh).toContain('00:00:5e:00:01:01');
    expect(readFileSync(join(t.fw1.dir, 'hooks.log'), 'utf8')).toMatch(/^1 lan MASTER no advertisement heard for 3\.\d\d s$/m);
  });

  it('moves the VIPs when the master is SIGKILLed and leaves nothing stale when it restarts', async () => {
    await waitStates([[fw1, 1, 'MASTER']], 10_000);
    fw1.proc.kill('SIGKILL');
    await fw1.proc.exited;
    // The killed node keeps its macvlan until carpd starts again and removes it.
    expect((await links(lab(), t.fw1)).some((l) => l.ifname === VMAC_DEV)).toBe(true);
    await waitStates([[fw2, 1, 'MASTER']], 10_000);
    await lab().execOk(t.client, ['ping', '-6', '-c', '1', '-W', '2', LAN.vip6]);
    await restartCarpd(fw1);
    await waitStates([[fw1, 1, 'MASTER'], [fw2, 1, 'BACKUP']], 15_000);
    expect((await links(lab(), t.fw2)).some((l) => l.ifname === VMAC_DEV)).toBe(false);
    await lab().execOk(t.client, ['ping', '-c', '1', '-W', '2', LAN.vip4]);
  });
});

describe.skipIf(skipCarpdLab())('carpd smoke: unicast mode', () => {
  let t: PairTopology;
  let fw1: Carpd;
  let fw2: Carpd;
  const config = (node: string, advskew: number, peer: string): CarpdConfig => ({
    node,
    vhids: [vhid(3, 'lan', advskew, [`${LAN.vip4}/24`], { mode: 'unicast', peer })],
  });
  const lab = useLab('cuni', async (l) => {
    t = await buildPair(l);
    [fw1, fw2] = await Promise.all([startCarpd(l, t.fw1, config('fw1', 0, LAN.fw2)), startCarpd(l, t.fw2, config('fw2', 100, LAN.fw1))]);
  });

  it('elects over unicast adverts and fails over when the master stops advertising', async () => {
    await waitStates([[fw1, 3, 'MASTER'], [fw2, 3, 'BACKUP']], 20_000);
    await waitFor('fw2 to hear unicast adverts', async () => ((await fw2.status()).vhids[0].received ?? 0) >= 2, 5_000, 100);
    expect(await lab().addresses(t.fw2, 'lan')).not.toContain(LAN.vip4);
    fw1.proc.kill('SIGKILL');
    await waitStates([[fw2, 3, 'MASTER']], 10_000);
    expect(await lab().addresses(t.fw2, 'lan')).toContain(LAN.vip4);
  });
});
