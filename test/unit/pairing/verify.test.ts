import { describe, expect, it } from 'vitest';
import { proposePlan } from '../../../electron/core/pairing/plan.js';
import type { NodeStatus } from '../../../electron/core/pairing/status.js';
import { judge, waitVerified } from '../../../electron/core/pairing/verify.js';
import { preflightReport } from './fixtures.js';

const plan = (await proposePlan(preflightReport())).plan;

function status(node: string, state: 'MASTER' | 'BACKUP', extra: Partial<NodeStatus> = {}): NodeStatus {
  return {
    node,
    maintenance: false,
    demotion: 0,
    demotionReasons: {},
    vhids: plan.vips.map((v) => ({ vhid: v.vhid, interface: v.interfaces.primary, state, vips: v.vips })),
    stateSync: { ready: true, readyReason: 'bulk resync done', peerReachable: true, conntrackd: { running: true } },
    configSync: { role: node === 'fw1' ? 'source' : 'receiver', peer: { reachable: true, error: null }, sections: [{ name: 'vips', state: 'in-sync' }] },
    ...extra,
  };
}

describe('verify', () => {
  it('passes a pair with each VIP master on the primary only, demotion 0, state and config sync alive', () => {
    const r = judge(plan, { primary: status('fw1', 'MASTER'), secondary: status('fw2', 'BACKUP') });
    expect(r.ok).toBe(true);
    expect(r.masters).toEqual(plan.vips.map((v) => ({ vhid: v.vhid, master: 'primary' })));
    expect(r.checks.map((c) => `${c.id}/${c.node ?? 'pair'}`)).toEqual([...plan.vips.map((v) => `vip-master-${v.vhid}/pair`), 'demotion/primary', 'state-sync/primary', 'demotion/secondary', 'state-sync/secondary', 'config-sync/primary']);
  });

  it('fails split brain, a demoted node (naming the reason), a drifted config and a dead state sync, each with a fix', () => {
    const r = judge(plan, {
      primary: status('fw1', 'MASTER', { configSync: { role: 'source', peer: { reachable: true, error: null }, sections: [{ name: 'vips', state: 'drifted' }] } }),
      secondary: status('fw2', 'MASTER', { demotion: 240, demotionReasons: { 'state-sync': 240 }, stateSync: { ready: false, readyReason: 'waiting for the peer', peerReachable: false, conntrackd: { running: true } } }),
    });
    expect(r.ok).toBe(false);
    expect(r.masters.every((m) => m.master === null)).toBe(true);
    const failed = Object.fromEntries(r.checks.filter((c) => c.status === 'fail').map((c) => [`${c.id}/${c.node ?? 'pair'}`, c.detail]));
    expect(failed).toEqual({
      [`vip-master-${plan.vips[0].vhid}/pair`]: expect.stringMatching(/both nodes claim MASTER .*split brain/),
      [`vip-master-${plan.vips[1].vhid}/pair`]: expect.stringMatching(/both nodes claim MASTER/),
      'demotion/secondary': 'demotion 240 (state-sync 240)',
      'state-sync/secondary': 'conntrackd running, peer NOT heard, not ready (waiting for the peer)',
      'config-sync/primary': 'peer reachable; vips drifted',
    });
    expect(r.checks.filter((c) => c.status === 'fail').every((c) => c.fix.length > 0)).toBe(true);
  });

  it('reports a node whose carpd does not answer', () => {
    const r = judge(plan, { primary: status('fw1', 'MASTER'), secondary: new Error('root@fw2: carpd is not running') });
    expect(r.checks.find((c) => c.id === 'carpd-running')).toMatchObject({ node: 'secondary', status: 'fail', detail: 'root@fw2: carpd is not running' });
    expect(r.ok).toBe(false);
  });

  it('re-reads until the pair settles', async () => {
    let reads = 0;
    const r = await waitVerified(plan, async () => (++reads < 3 ? { primary: status('fw1', 'BACKUP'), secondary: status('fw2', 'BACKUP') } : { primary: status('fw1', 'MASTER'), secondary: status('fw2', 'BACKUP') }), 60_000, async () => undefined);
    expect(r.ok).toBe(true);
    expect(reads).toBe(3);
  });
});
