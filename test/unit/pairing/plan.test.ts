import { describe, expect, it } from 'vitest';
import { planProblems, proposePlan } from '../../../electron/core/pairing/plan.js';
import { byteLength } from '../../../electron/core/pairing/secrets.js';
import { preflightReport } from './fixtures.js';

describe('pairing plan', () => {
  it('puts the VIPs at the first free host address of the LAN and WAN subnets, with advskew 0/100 and the sync link', async () => {
    const { plan, problems } = await proposePlan(preflightReport());
    expect(problems).toEqual([]);
    expect(plan.vips.map((v) => [v.role, v.vips, v.vhid, v.interfaces])).toEqual([
      ['lan', ['10.0.1.1/24'], 1, { primary: 'lan', secondary: 'lan' }],
      ['wan', ['198.51.100.1/24'], 2, { primary: 'wan', secondary: 'wan' }],
    ]);
    expect(plan.advskew).toEqual({ primary: 0, secondary: 100 });
    expect(plan.sync).toEqual({ interfaces: { primary: 'sync', secondary: 'sync' }, addresses: { primary: '10.0.2.2', secondary: '10.0.2.3' } });
    expect(plan).toMatchObject({ stateSync: true, configSync: true, name: 'fw1+fw2' });
  });

  it('maps interfaces per node when their names differ', async () => {
    const { plan } = await proposePlan(preflightReport({}, { names: { lan: 'enp3s0', wan: 'enp1s0', sync: 'enp4s0' } }));
    expect(plan.vips[0].interfaces).toEqual({ primary: 'lan', secondary: 'enp3s0' });
    expect(plan.sync.interfaces).toEqual({ primary: 'sync', secondary: 'enp4s0' });
  });

  it('skips an address that answers on the segment (the ISP gateway) and takes the next candidate', async () => {
    const asked: string[] = [];
    const { plan } = await proposePlan(preflightReport(), {
      addressInUse: async (role, a) => {
        asked.push(`${role} ${a}`);
        return a === '198.51.100.1';
      },
    });
    expect(plan.vips.find((v) => v.role === 'wan')?.vips).toEqual(['198.51.100.254/24']);
    expect(asked).toEqual(['lan 10.0.1.1', 'wan 198.51.100.1', 'wan 198.51.100.254']);
  });

  it('chooses vhids nobody was heard using on each segment (keyed by role or by subnet), one per VIP', async () => {
    const { plan } = await proposePlan(preflightReport({ vhidsInUse: { lan: [1, 2] } }, { vhidsInUse: { '198.51.100.0/24': [1, 2] } }));
    expect(plan.vips.map((v) => [v.role, v.vhid])).toEqual([
      ['lan', 3],
      ['wan', 4],
    ]);
    const lanOnly = await proposePlan(preflightReport({ vhidsInUse: { lan: [1, 2] } }));
    expect(lanOnly.plan.vips.map((v) => v.vhid)).toEqual([3, 1]);
  });

  it('gives every VIP its own random password of 16 bytes (letters and digits, within CARP\'s 19)', async () => {
    const a = (await proposePlan(preflightReport())).plan;
    const b = (await proposePlan(preflightReport())).plan;
    const all = [...a.vips, ...b.vips].map((v) => v.password);
    for (const p of all) {
      expect(byteLength(p)).toBe(16);
      expect(p).toMatch(/^[A-Za-z0-9]{16}$/);
    }
    expect(new Set(all).size).toBe(all.length);
  });

  it('refuses a /30 VIP subnet: only two usable addresses, CARP needs three', async () => {
    const { plan, problems } = await proposePlan(preflightReport({ wan: '203.0.113.1/30' }, { wan: '203.0.113.2/30' }));
    expect(problems).toEqual([expect.stringMatching(/^wan: 203\.0\.113\.0\/30 has only 2 usable address\(es\); CARP needs three .*\/29 or larger/)]);
    expect(plan.vips.map((v) => v.role)).toEqual(['lan']);
    const edited = { ...plan, vips: [...plan.vips, { ...plan.vips[0], role: 'wan' as const, vhid: 9, vips: ['203.0.113.3/30'], interfaces: { primary: 'wan', secondary: 'wan' } }] };
    expect(planProblems(edited, preflightReport({ wan: '203.0.113.1/30' }, { wan: '203.0.113.2/30' })).join('\n')).toMatch(/203\.0\.113\.0\/30 has only 2 usable/);
  });

  it('plans only a LAN VIP when the nodes share no WAN segment', async () => {
    const { plan, problems } = await proposePlan(preflightReport({ wan: null }, { wan: null }));
    expect(problems).toEqual([]);
    expect(plan.vips.map((v) => v.role)).toEqual(['lan']);
  });

  it('reports a missing sync link instead of proposing one', async () => {
    const { problems } = await proposePlan(preflightReport({ sync: null }, { sync: null }));
    expect(problems.join('\n')).toMatch(/no dedicated sync link/);
  });

  it('finds what is wrong with an edited plan, in plain words', async () => {
    const report = preflightReport({ vhidsInUse: { lan: [7] } });
    const { plan } = await proposePlan(report);
    const edited = {
      ...plan,
      advskew: { primary: 100, secondary: 100 },
      vips: [
        { ...plan.vips[0], vhid: 7, vips: ['10.0.9.1/24'] },
        { ...plan.vips[1], vips: ['198.51.100.2/24'], interfaces: { primary: 'wan', secondary: 'eth9' } },
      ],
      sync: { ...plan.sync, addresses: { primary: '10.0.2.2', secondary: '10.0.2.99' } },
    };
    const problems = planProblems(edited, report);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^advskew: the primary's \(100\) must be lower than the secondary's \(100\)/),
        expect.stringMatching(/vhid 7 is already used on the LAN segment/),
        expect.stringMatching(/10\.0\.9\.1\/24 is not in fw1's lan subnet 10\.0\.1\.0\/24/),
        expect.stringMatching(/198\.51\.100\.2\/24 is fw1's own address/),
        expect.stringMatching(/fw2 has no interface "eth9"/),
        expect.stringMatching(/^sync: 10\.0\.2\.99 is not fw2's address on sync \(10\.0\.2\.3\)/),
      ]),
    );
    expect(planProblems(plan, report)).toEqual([]);
  });

  it('refuses a sync interface that carries a VIP unless the sync-interface check was overridden', async () => {
    const report = preflightReport();
    const { plan } = await proposePlan(report);
    const shared = { ...plan, sync: { interfaces: { primary: 'lan', secondary: 'lan' }, addresses: { primary: '10.0.1.2', secondary: '10.0.1.3' } } };
    expect(planProblems(shared, report).join('\n')).toMatch(/sync interface lan also carries the LAN VIP/);
    expect(planProblems({ ...shared, overrides: ['sync-interface'] }, report)).toEqual([]);
  });

  it('carries failed preflight checks into the problems unless they were overridable and overridden', async () => {
    const fail = { id: 'sync-interface', node: null, title: 'Dedicated sync interface', status: 'fail' as const, detail: 'shared with the LAN', fix: 'cable a sync link', overridable: true };
    const report = preflightReport({}, {}, [fail]);
    const { plan } = await proposePlan(report);
    expect(plan.overrides).toEqual(['sync-interface']);
    expect(planProblems({ ...plan, overrides: [] }, report)).toEqual(['preflight: Dedicated sync interface failed: shared with the LAN (fix: cable a sync link)']);
    expect(planProblems(plan, report)).toEqual([]);
  });
});
