import { describe, expect, it } from 'vitest';
import { explainVhid } from '../../../electron/core/cluster/why.js';
import { status, vhid } from './fixtures.js';

const explain = (self: ReturnType<typeof status>, ...peers: ReturnType<typeof status>[]) =>
  explainVhid(self, self.vhids[0], peers.map((s) => ({ id: `root@${s.node}`, status: s })));

describe('why a node is master or backup, in plain words', () => {
  it('master with the lower skew names both skews', () => {
    const fw1 = status('fw1', [vhid({ state: 'MASTER', master: 'this node' })]);
    const fw2 = status('fw2', [vhid({ advskew: 100, advskewSent: 100, master: '10.0.1.2' })]);
    expect(explain(fw1, fw2)).toBe('MASTER: advertises skew 0, fw2 skew 100');
  });

  it('backup names the master and that its skew is lower', () => {
    const fw1 = status('fw1', [vhid({ state: 'MASTER', master: 'this node' })]);
    const fw2 = status('fw2', [vhid({ advskew: 100, advskewSent: 100, master: '10.0.1.2' })]);
    expect(explain(fw2, fw1)).toBe('BACKUP: fw1 is master with lower skew (skew 0 vs 100 here)');
  });

  it('backup in maintenance says so with its demotion', () => {
    const fw1 = status('fw1', [vhid({ advskewSent: 240 })], { maintenance: true, demotion: 240, demotionReasons: { maintenance: 240 } });
    const fw2 = status('fw2', [vhid({ state: 'MASTER', advskew: 100, advskewSent: 100 })]);
    expect(explain(fw1, fw2)).toBe('BACKUP: in maintenance (demotion 240)');
    expect(explain(fw2, fw1)).toBe('MASTER: fw1 is in maintenance (demotion 240)');
  });

  it('a master in maintenance that no peer relieved says it keeps the VIPs and what to check', () => {
    const fw1 = status('fw1', [vhid({ state: 'MASTER', advskewSent: 240 })], { maintenance: true, demotion: 240, demotionReasons: { maintenance: 240 } });
    const fw2 = status('fw2', [vhid({ state: 'INIT', advskew: 100, advskewSent: 100 })]);
    expect(explain(fw1, fw2)).toBe('MASTER although in maintenance: no other node took over after the bow-out, so this node keeps the VIPs (demotion 240); check that the peer runs and hears lan');
  });

  it('master without any peer connected says the peer is not heard', () => {
    expect(explain(status('fw1', [vhid({ state: 'MASTER' })]))).toMatch(/^MASTER: peer not heard/);
  });

  it('backup demoted by a reason names the reason', () => {
    const fw1 = status('fw1', [vhid({ advskewSent: 50 })], { demotion: 50, demotionReasons: { 'link wan down': 50 } });
    const fw2 = status('fw2', [vhid({ state: 'MASTER', advskew: 100, advskewSent: 100 })]);
    expect(explain(fw1, fw2)).toBe('BACKUP: demoted by 50 (link wan down +50); fw2 is master (skew 100 vs 50, demotion 50 here)');
  });

  it('two masters are called a split brain', () => {
    const a = status('fw1', [vhid({ state: 'MASTER' })]);
    const b = status('fw2', [vhid({ state: 'MASTER', advskewSent: 100 })]);
    expect(explain(a, b)).toMatch(/^MASTER: fw2 is MASTER too — split brain/);
  });

  it('a better backup without preemption explains why the master stays', () => {
    const fw1 = status('fw1', [vhid({ preempt: false })]);
    const fw2 = status('fw2', [vhid({ state: 'MASTER', advskew: 100, advskewSent: 100 })]);
    expect(explain(fw1, fw2)).toMatch(/^BACKUP: fw2 stays master although this node advertises better .*preemption is off/);
  });

  it('backup of a master that is not connected here names its address', () => {
    expect(explain(status('fw2', [vhid({ master: '10.0.1.2', lastHeardSecondsAgo: 0.4 })]))).toBe('BACKUP: 10.0.1.2 is master (heard 0.4 s ago); that node is not connected here');
  });
});
