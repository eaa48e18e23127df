import { describe, expect, it } from 'vitest';
import { masterOfAll } from '../../../electron/core/pairing/drill.js';
import { proposePlan } from '../../../electron/core/pairing/plan.js';
import type { NodeStatus } from '../../../electron/core/pairing/status.js';
import { preflightReport } from './fixtures.js';

const plan = (await proposePlan(preflightReport())).plan;
const [lan, wan] = plan.vips;

const node = (states: Record<number, 'MASTER' | 'BACKUP' | 'INIT'>): NodeStatus => ({
  node: 'x',
  maintenance: false,
  demotion: 0,
  demotionReasons: {},
  vhids: plan.vips.map((v) => ({ vhid: v.vhid, interface: v.interfaces.primary, state: states[v.vhid], vips: v.vips })),
});

describe('who holds the VIPs during the drill', () => {
  it('names the node that alone is master of every VIP, or of the watched ones', () => {
    expect(masterOfAll(plan, { primary: node({ [lan.vhid]: 'BACKUP', [wan.vhid]: 'BACKUP' }), secondary: node({ [lan.vhid]: 'MASTER', [wan.vhid]: 'MASTER' }) })).toBe('secondary');
    // a cut LAN link: the LAN VIP moved, the WAN VIP is still (or again) on the primary
    const split = { primary: node({ [lan.vhid]: 'INIT', [wan.vhid]: 'MASTER' }), secondary: node({ [lan.vhid]: 'MASTER', [wan.vhid]: 'BACKUP' }) };
    expect(masterOfAll(plan, split)).toBeNull();
    expect(masterOfAll(plan, split, [lan])).toBe('secondary');
  });

  it('names nobody while both claim a VIP or a node does not answer', () => {
    expect(masterOfAll(plan, { primary: node({ [lan.vhid]: 'MASTER', [wan.vhid]: 'MASTER' }), secondary: node({ [lan.vhid]: 'MASTER', [wan.vhid]: 'BACKUP' }) })).toBeNull();
    expect(masterOfAll(plan, { primary: undefined, secondary: node({ [lan.vhid]: 'BACKUP', [wan.vhid]: 'BACKUP' }) })).toBeNull();
  });
});
