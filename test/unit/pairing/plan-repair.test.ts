import { describe, expect, it } from 'vitest';
import type { CurrentVhid } from '../../../shared/pairing/schema.js';
import { planProblems, proposePlan } from '../../../electron/core/pairing/plan.js';
import { preflightReport } from './fixtures.js';

// A pair paired before: carpd runs LAN vhid 1 and WAN vhid 12 on both nodes (advbase 2), and their adverts are
// heard on the segments. A third speaker (a VRRP router) uses 3 on the LAN and 2 on the WAN.
const lan: CurrentVhid = { vhid: 1, interface: 'lan', advbase: 2, vips: ['10.0.1.1/24'] };
const wan: CurrentVhid = { vhid: 12, interface: 'wan', advbase: 2, vips: ['198.51.100.1/24'] };
const heard = { lan: [1, 3], wan: [2, 12] };
const secrets = (groups: CurrentVhid[], password = 'KeepMe0123456789') => groups.map((g) => ({ ...g, password }));

describe('pairing plan for a pair paired before', () => {
  it('keeps the vhid, password, advbase and addresses of every group both nodes run, marked kept', async () => {
    const report = preflightReport({ vhidsInUse: heard, carpd: [lan, wan] }, { vhidsInUse: heard, carpd: [lan, wan] });
    const { plan, problems } = await proposePlan(report, { current: { primary: secrets([lan, wan]), secondary: secrets([lan, wan]) } });
    expect(problems).toEqual([]);
    expect(plan.vips).toEqual([
      { role: 'lan', vhid: 1, vips: ['10.0.1.1/24'], interfaces: { primary: 'lan', secondary: 'lan' }, password: 'KeepMe0123456789', advbase: 2, kept: true },
      { role: 'wan', vhid: 12, vips: ['198.51.100.1/24'], interfaces: { primary: 'wan', secondary: 'wan' }, password: 'KeepMe0123456789', advbase: 2, kept: true },
    ]);
  });

  it('gives only a VIP new to the pair a new vhid, off the kept ones and the third speaker\'s', async () => {
    const report = preflightReport({ vhidsInUse: { lan: [1, 3], wan: [2] }, carpd: [lan] }, { vhidsInUse: { lan: [1, 3], wan: [2] }, carpd: [lan] });
    const { plan, problems } = await proposePlan(report, { current: { primary: secrets([lan]), secondary: secrets([lan]) } });
    expect(problems).toEqual([]);
    expect(plan.vips.map((v) => [v.role, v.vhid, v.kept ?? false])).toEqual([
      ['lan', 1, true],
      ['wan', 3, false],
    ]);
  });

  it('still treats a vhid heard from a third speaker as taken, also in an edited plan', async () => {
    const report = preflightReport({ vhidsInUse: heard, carpd: [lan, wan] }, { vhidsInUse: heard, carpd: [lan, wan] });
    const { plan } = await proposePlan(report, { current: { primary: secrets([lan, wan]), secondary: secrets([lan, wan]) } });
    expect(planProblems(plan, report)).toEqual([]);
    const edited = { ...plan, vips: [{ ...plan.vips[0], vhid: 3, kept: false }, { ...plan.vips[1], vhid: 2, kept: false }] };
    expect(planProblems(edited, report)).toEqual([
      'VIP 1 (lan, vhid 3): vhid 3 is already used on the LAN segment (heard during the preflight); choose another',
      'VIP 2 (wan, vhid 2): vhid 2 is already used on the WAN segment (heard during the preflight); choose another',
    ]);
  });

  it('does not keep a group whose password it could not read or that the nodes run differently, and avoids its vhid', async () => {
    const report = preflightReport({ vhidsInUse: heard, carpd: [lan] }, { vhidsInUse: heard, carpd: [lan] });
    const unread = await proposePlan(report);
    expect(unread.plan.vips.map((v) => [v.role, v.vhid, v.kept ?? false])).toEqual([
      ['lan', 2, false],
      ['wan', 1, false],
    ]);
    const differing = await proposePlan(report, { current: { primary: secrets([lan], 'one'), secondary: secrets([lan], 'two') } });
    expect(differing.plan.vips[0]).toMatchObject({ vhid: 2, vips: ['10.0.1.1/24'] });
    const otherAdvbase = preflightReport({ vhidsInUse: heard, carpd: [lan] }, { vhidsInUse: heard, carpd: [{ ...lan, advbase: 1 }] });
    expect((await proposePlan(otherAdvbase, { current: { primary: secrets([lan]), secondary: secrets([lan]) } })).plan.vips[0]).toMatchObject({ vhid: 2 });
  });

  it('refuses a kept group that was edited or that the pair does not run', async () => {
    const report = preflightReport({ vhidsInUse: heard, carpd: [lan] }, { vhidsInUse: heard, carpd: [lan] });
    const { plan } = await proposePlan(report, { current: { primary: secrets([lan]), secondary: secrets([lan]) } });
    const grown = { ...plan, vips: [{ ...plan.vips[0], vips: ['10.0.1.1/24', '10.0.1.10/24'] }, plan.vips[1]] };
    expect(planProblems(grown, report)).toEqual([expect.stringMatching(/^VIP 1 \(lan, vhid 1\): marked kept, but it differs from the vhid 1 both nodes run now \(advbase 2, 10\.0\.1\.1\/24\).*a VIP group of their own/)]);
    const claimed = { ...plan, vips: [plan.vips[0], { ...plan.vips[1], kept: true }] };
    expect(planProblems(claimed, report)).toEqual([expect.stringMatching(/^VIP 2 \(wan, vhid \d+\): marked kept, but fw1 and fw2 do not both run vhid \d+ on wan \/ wan alike now; clear "kept"$/)]);
  });
});
