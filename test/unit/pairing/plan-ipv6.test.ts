import { describe, expect, it } from 'vitest';
import type { ClusterPlan } from '../../../shared/pairing/schema.js';
import { nodeFiles } from '../../../electron/core/pairing/node-files.js';
import { factsOf, planProblems, proposePlan, withIpv6Vip } from '../../../electron/core/pairing/plan.js';
import { preflightReport } from './fixtures.js';

const dual = () => preflightReport({ v6: { lan: ['2001:db8:1::2/64'] } }, { v6: { lan: ['2001:db8:1::3/64'] } });
const withLanVips = (plan: ClusterPlan, vips: string[]): ClusterPlan => ({ ...plan, vips: plan.vips.map((v) => (v.role === 'lan' ? { ...v, vips } : v)) });

describe('pairing plan with IPv6 VIPs', () => {
  it('puts a given IPv6 VIP in the LAN group beside the IPv4 VIP (one vhid), and carpd\'s VIP list carries it', async () => {
    const report = dual();
    const { plan } = await proposePlan(report);
    const six = withIpv6Vip(plan, report, 'lan', '2001:db8:1::1/64');
    expect(six.vips.map((v) => [v.role, v.vhid, v.vips])).toEqual([
      ['lan', 1, ['10.0.1.1/24', '2001:db8:1::1/64']],
      ['wan', 2, ['198.51.100.1/24']],
    ]);
    expect(planProblems(six, report)).toEqual([]);
    const vipsJson = nodeFiles(six, 'secondary', factsOf(report, 'secondary'), {}).find((f) => f.path.endsWith('vips.json'))!;
    expect(JSON.parse(vipsJson.content).vhids[0].vips).toEqual(['10.0.1.1/24', '2001:db8:1::1/64']);
  });

  it('gives the IPv6 VIP a vhid of its own when asked, or when the LAN group is kept from an earlier pairing', async () => {
    const report = dual();
    const { plan } = await proposePlan(report);
    const own = withIpv6Vip(plan, report, 'lan', '2001:db8:1::1/64', { ownVhid: true, password: () => 'Six6Six6Six6Six6' });
    expect(own.vips[2]).toEqual({ role: 'lan', vhid: 3, vips: ['2001:db8:1::1/64'], interfaces: { primary: 'lan', secondary: 'lan' }, password: 'Six6Six6Six6Six6', advbase: 1 });
    expect(planProblems(own, report)).toEqual([]);
    const kept = withIpv6Vip({ ...plan, vips: [{ ...plan.vips[0], kept: true }, plan.vips[1]] }, report, 'lan', '2001:db8:1::1/64');
    expect(kept.vips.map((v) => [v.vhid, v.vips])).toEqual([
      [1, ['10.0.1.1/24']],
      [2, ['198.51.100.1/24']],
      [3, ['2001:db8:1::1/64']],
    ]);
  });

  it('names what is wrong with an IPv6 VIP: outside the prefix, a node\'s own, the anycast address, not unicast, malformed', async () => {
    const report = dual();
    const { plan } = await proposePlan(report);
    const problemsOf = (vip: string) => planProblems(withLanVips(plan, ['10.0.1.1/24', vip]), report);
    expect(problemsOf('2001:db8:2::1/64')).toEqual([
      'VIP 1 (lan, vhid 1): 2001:db8:2::1/64 is not in fw1\'s lan IPv6 prefix 2001:db8:1::/64 with the same prefix length',
      'VIP 1 (lan, vhid 1): 2001:db8:2::1/64 is not in fw2\'s lan IPv6 prefix 2001:db8:1::/64 with the same prefix length',
    ]);
    expect(problemsOf('2001:db8:1::1/48').join('\n')).toMatch(/2001:db8:1::1\/48 is not in fw1's lan IPv6 prefix 2001:db8:1::\/64 with the same prefix length/);
    expect(problemsOf('2001:db8:1::3/64')).toEqual(['VIP 1 (lan, vhid 1): 2001:db8:1::3/64 is fw2\'s own address; a VIP needs an address of its own']);
    expect(problemsOf('2001:db8:1::/64').join('\n')).toMatch(/2001:db8:1::\/64 is the subnet-router anycast address of 2001:db8:1::\/64/);
    expect(problemsOf('fe80::1/64').join('\n')).toMatch(/fe80::1\/64 is a link-local address; an IPv6 VIP needs a global or unique local address/);
    expect(problemsOf('ff02::12/64').join('\n')).toMatch(/ff02::12\/64 is a multicast address/);
    expect(problemsOf('2001:db8:1::zz/64').join('\n')).toMatch(/"2001:db8:1::zz\/64" is not an IPv6 address with prefix length such as 2001:db8:1::1\/64/);
    expect(problemsOf('2001:db8:1::1').join('\n')).toMatch(/"2001:db8:1::1" is not an IPv6 address with prefix length/);
    expect(problemsOf('2001:db8:1::0:1/64')).toEqual([]);
  });

  it('a VIP the master holds now because carpd runs it (a re-pair) is not taken for that node\'s own address', async () => {
    const held = [{ vhid: 1, interface: 'lan', advbase: 1, vips: ['10.0.1.1/24', '2001:db8:1::1/64'] }];
    const report = preflightReport({ v6: { lan: ['2001:db8:1::2/64', '2001:db8:1:0::1/64'] }, carpd: held }, { v6: { lan: ['2001:db8:1::3/64'] }, carpd: held });
    const { plan } = await proposePlan(report);
    expect(planProblems(withLanVips(plan, ['10.0.1.1/24', '2001:db8:1::1/64']), report)).toEqual([]);
    expect(planProblems(withLanVips(plan, ['10.0.1.1/24', '2001:db8:1::2/64']), report)).toEqual(['VIP 1 (lan, vhid 1): 2001:db8:1::2/64 is fw1\'s own address; a VIP needs an address of its own']);
  });

  it('refuses an IPv6 VIP on a segment where a node has no IPv6 address, and the same address twice', async () => {
    const report = preflightReport({ v6: { lan: ['2001:db8:1::2/64'] } });
    const { plan } = await proposePlan(report);
    expect(planProblems(withLanVips(plan, ['10.0.1.1/24', '2001:db8:1::1/64']), report)).toEqual([
      'VIP 1 (lan, vhid 1): fw2\'s lan has no IPv6 address; give both nodes an address in 2001:db8:1::/64 on that segment, then run the preflight again',
    ]);
    const twice = withIpv6Vip(withIpv6Vip(plan, dual(), 'lan', '2001:db8:1::1/64'), dual(), 'lan', '2001:db8:1:0::1/64', { ownVhid: true });
    expect(planProblems(twice, dual())).toEqual([expect.stringMatching(/^VIP 3 \(lan, vhid 3\): 2001:db8:1:0::1\/64 is also in VIP 1; each address belongs to one group$/)]);
  });

  it('says plainly when the IPv6 VIP has no segment to go on', async () => {
    const report = preflightReport({ wan: null }, { wan: null });
    const { plan } = await proposePlan(report);
    expect(() => withIpv6Vip(plan, report, 'wan', '2001:db8:9::1/64')).toThrow(/the nodes share no WAN segment for 2001:db8:9::1\/64/);
    expect(() => withIpv6Vip(plan, report, 'lan', '10.0.1.9/24')).toThrow(/"10\.0\.1\.9\/24" is not an IPv6 address/);
  });
});
