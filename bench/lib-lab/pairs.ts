// The two HA pairs the failover bench drills: carpd and ucarp, each fw1 (advskew 0) preferred over fw2 (advskew 100).
import {
  buildPair,
  LAN,
  restartCarpd,
  startCarpd,
  startUcarp,
  waitFor,
  sleep,
  type Carpd,
  type Lab,
  type LabNode,
  type LabProcess,
  type PairTopology,
  type Ucarp,
} from '../../test/lab/harness/index.js';

export const ADVBASE = 1;
export const BACKUP_SKEW = 100;
export const VIP = LAN.vip4;
const VHID = 1;
const PASSWORD = 'benchpass';

/** One HA pair under test, with the operations a drill needs. */
export interface HaPair {
  readonly name: 'carpd' | 'ucarp';
  readonly lab: Lab;
  readonly topo: PairTopology;
  /** Waits until fw1 alone holds the VIP (and stays so for a moment). */
  settleOnFw1(timeoutMs?: number): Promise<void>;
  /** Waits until fw2 holds the VIP. */
  waitFw2(timeoutMs?: number): Promise<void>;
  /** Stops fw1's daemon the way a service manager does (SIGTERM). */
  stopFw1(): Promise<void>;
  /** Starts fw1's daemon again after stopFw1(). */
  startFw1(): Promise<void>;
  /** Maintenance mode on fw1, when the implementation has one. */
  maintenance?(on: boolean): Promise<void>;
  /** Restarts any daemon of the pair that died, and says how it died (null when both are running). */
  revive(): Promise<string | null>;
}

const death = (node: string, p: LabProcess) => {
  const tail = p.output().trim().split('\n').slice(-3).join(' | ');
  return `${node}: ${p.argv.includes('ucarp') ? 'ucarp' : 'carpd'} died while running (${p.output().match(/\[lab\] exited code=\S+ signal=\S+/)?.[0] ?? 'exited'}); last output: ${tail}`;
};

const holdsVip = async (lab: Lab, node: LabNode) => (await lab.addresses(node, 'lan')).includes(VIP);

function settle(lab: Lab, topo: PairTopology) {
  return async (timeoutMs = 20_000) => {
    const ok = async () => (await holdsVip(lab, topo.fw1)) && !(await holdsVip(lab, topo.fw2));
    await waitFor('fw1 alone to hold the VIP', ok, timeoutMs, 100);
    await sleep(1500);
    await waitFor('fw1 alone to hold the VIP after settling', ok, timeoutMs, 100);
  };
}

function waitFw2(lab: Lab, topo: PairTopology) {
  return async (timeoutMs = 20_000) => {
    await waitFor('fw2 to hold the VIP', () => holdsVip(lab, topo.fw2), timeoutMs, 20);
  };
}

export async function carpdPair(lab: Lab): Promise<HaPair> {
  const topo = await buildPair(lab);
  const vhid = (advskew: number) => ({ vhid: VHID, interface: 'lan', advbase: ADVBASE, advskew, password: PASSWORD, vips: [`${VIP}/24`], preempt: true });
  const fw1: Carpd = await startCarpd(lab, topo.fw1, { node: 'fw1', vhids: [vhid(0)] });
  await fw1.waitState(VHID, 'MASTER', 20_000);
  const fw2: Carpd = await startCarpd(lab, topo.fw2, { node: 'fw2', vhids: [vhid(BACKUP_SKEW)] });
  await fw2.waitState(VHID, 'BACKUP', 20_000);
  return {
    name: 'carpd',
    lab,
    topo,
    settleOnFw1: settle(lab, topo),
    waitFw2: waitFw2(lab, topo),
    async stopFw1() {
      await fw1.proc.stop('SIGTERM', 10_000);
    },
    async startFw1() {
      fw1.restart();
      await waitFor('carpd on fw1 to answer', async () => (await fw1.status()).vhids.length > 0, 15_000, 100);
    },
    async revive() {
      const dead = [fw1, fw2].filter((c) => !c.proc.running);
      const why = dead.map((c) => death(c.node.name, c.proc)).join('; ');
      for (const c of dead) await restartCarpd(c);
      return dead.length ? why : null;
    },
    async maintenance(on) {
      const r = await fw1.ctl(['maintenance', on ? 'on' : 'off']);
      if (r.code !== 0) throw new Error(`carpctl maintenance ${on ? 'on' : 'off'} exited ${r.code}: ${r.stderr.trim()}`);
    },
  };
}

export async function ucarpPair(lab: Lab): Promise<HaPair> {
  const topo = await buildPair(lab);
  const opts = (srcip: string, advskew: number) => ({ ifname: 'lan', srcip, vhid: VHID, password: PASSWORD, vip: `${VIP}/24`, advbase: ADVBASE, advskew });
  let fw1: Ucarp = startUcarp(lab, topo.fw1, opts(LAN.fw1, 0));
  let fw2: Ucarp;
  await waitFor('ucarp on fw1 to hold the VIP', () => holdsVip(lab, topo.fw1), 20_000, 100);
  fw2 = startUcarp(lab, topo.fw2, opts(LAN.fw2, BACKUP_SKEW));
  await fw2.proc.waitForOutput(/BACKUP/, 10_000);
  return {
    name: 'ucarp',
    lab,
    topo,
    settleOnFw1: settle(lab, topo),
    waitFw2: waitFw2(lab, topo),
    async stopFw1() {
      await fw1.proc.stop('SIGTERM', 10_000);
    },
    async startFw1() {
      fw1 = startUcarp(lab, topo.fw1, opts(LAN.fw1, 0));
      await fw1.proc.waitForOutput(/BACKUP|MASTER/, 10_000);
    },
    async revive() {
      const why: string[] = [];
      if (!fw1.proc.running) {
        why.push(death('fw1', fw1.proc));
        fw1 = startUcarp(lab, topo.fw1, opts(LAN.fw1, 0));
      }
      if (!fw2.proc.running) {
        why.push(death('fw2', fw2.proc));
        fw2 = startUcarp(lab, topo.fw2, opts(LAN.fw2, BACKUP_SKEW));
      }
      return why.length ? why.join('; ') : null;
    },
  };
}
