import { describe, expect, it } from 'vitest';
import { mapRoles, nodeRoles } from '../../../../electron/core/pairing/preflight/roles.js';
import { mappingCheck, syncCheck, vipSegments, vipSubnetCheck } from '../../../../electron/core/pairing/preflight/segments.js';
import { inventory } from './inventory.js';

const ssh = { primary: '192.168.50.11', secondary: '192.168.50.12' };

describe('preflight role mapping by subnet', () => {
  it('pairs interfaces by shared subnet whatever their names, with WAN by default route, sync as the quiet private link and management by the SSH address', () => {
    const primary = inventory(
      { eth0: ['203.0.113.2/29'], eth1: ['10.0.1.2/24'], eth2: ['172.16.9.1/30'], eth3: ['192.168.50.11/24'] },
      { defaultRoutes: ['eth0'], neighbours: [{ address: '10.0.1.57', dev: 'eth1' }, { address: '172.16.9.2', dev: 'eth2' }] },
    );
    const secondary = inventory({ ens18: ['192.168.50.12/24'], ens19: ['10.0.1.3/24'], ens20: ['203.0.113.3/29'], ens21: ['172.16.9.2/30'] }, { defaultRoutes: ['ens20'] });
    const m = mapRoles(primary, secondary, { sshHosts: ssh });
    expect(nodeRoles(m, 'primary')).toEqual({ lan: 'eth1', wan: 'eth0', sync: 'eth2' });
    expect(nodeRoles(m, 'secondary')).toEqual({ lan: 'ens19', wan: 'ens20', sync: 'ens21' });
    expect(m.roles.management?.subnet).toBe('192.168.50.0/24');
    expect(m.reasons).toMatchObject({ wan: 'it carries the default route', sync: 'a private subnet with no VIP and no other hosts', lan: 'a private subnet with other hosts on it' });
    const c = mappingCheck(m);
    expect(c.status).toBe('pass');
    expect(c.detail).toContain('lan: primary eth1 10.0.1.2 ↔ secondary ens19 10.0.1.3 (10.0.1.0/24)');
    expect(c.detail).toContain('names differ (eth0 ↔ ens20, eth1 ↔ ens19, eth2 ↔ ens21, eth3 ↔ ens18)');
    expect(syncCheck(m, primary, secondary, vipSegments(m, undefined))).toMatchObject({ status: 'pass', detail: 'primary eth2 172.16.9.1 ↔ secondary ens21 172.16.9.2 (172.16.9.0/30): no VIP and no other host on it' });
  });

  it('takes the LAN from the SSH subnet when the preflight came in over the LAN', () => {
    const primary = inventory({ lan0: ['10.0.1.2/24'], wan0: ['198.51.100.2/24'] });
    const secondary = inventory({ lan0: ['10.0.1.3/24'], wan0: ['198.51.100.3/24'] });
    const m = mapRoles(primary, secondary, { sshHosts: { primary: '10.0.1.2', secondary: '10.0.1.3' } });
    expect(nodeRoles(m, 'primary')).toEqual({ lan: 'lan0', wan: 'wan0' });
    expect(m.roles.management).toBeUndefined();
    // and there is no dedicated sync link: refused unless overridden
    expect(syncCheck(m, primary, secondary, vipSegments(m, undefined))).toMatchObject({ status: 'fail', overridable: true, detail: expect.stringMatching(/^no dedicated sync link/) });
  });

  it('takes the subnet the preflight came in on as the WAN when it is public and carries the default route', () => {
    const primary = inventory({ eth0: ['203.0.113.2/29'], eth1: ['10.0.1.2/24'], eth2: ['10.0.2.2/24'] }, { defaultRoutes: ['eth0'], neighbours: [{ address: '10.0.1.50', dev: 'eth1' }] });
    const secondary = inventory({ eth0: ['203.0.113.3/29'], eth1: ['10.0.1.3/24'], eth2: ['10.0.2.3/24'] }, { defaultRoutes: ['eth0'] });
    const m = mapRoles(primary, secondary, { sshHosts: { primary: '203.0.113.2', secondary: '203.0.113.3' } });
    expect(nodeRoles(m, 'primary')).toEqual({ wan: 'eth0', lan: 'eth1', sync: 'eth2' });
    expect(m.roles.management).toBeUndefined();
  });

  it('refuses a sync interface readdressed into the LAN subnet, on one node or both', () => {
    const secondary = inventory({ lan: ['10.0.1.3/24'], wan: ['198.51.100.3/24'], sync: ['10.0.1.13/24'] });
    const oneNode = inventory({ lan: ['10.0.1.2/24'], wan: ['198.51.100.2/24'], sync: ['10.0.2.2/24'] });
    const m1 = mapRoles(oneNode, secondary, { sshHosts: ssh });
    expect(syncCheck(m1, oneNode, secondary, vipSegments(m1, undefined))).toMatchObject({
      status: 'fail',
      overridable: true,
      detail: 'the secondary\'s sync interface sync (10.0.1.13/24) is on the lan subnet 10.0.1.0/24, which carries VIPs and other hosts',
    });
    const both = inventory({ lan: ['10.0.1.2/24'], wan: ['198.51.100.2/24'], sync: ['10.0.1.12/24'] });
    const m2 = mapRoles(both, secondary, { sshHosts: ssh });
    expect(nodeRoles(m2, 'primary')).toEqual({ lan: 'lan', wan: 'wan', sync: 'sync' });
    expect(syncCheck(m2, both, secondary, vipSegments(m2, undefined))).toMatchObject({ status: 'fail', detail: expect.stringContaining('is on the lan subnet 10.0.1.0/24') });
  });

  it('fails two targets that are the same machine (every address the same)', () => {
    const same = inventory({ lan: ['10.0.1.2/24'], wan: ['198.51.100.2/24'] });
    expect(mappingCheck(mapRoles(same, same, { sshHosts: { primary: '10.0.1.2', secondary: '10.0.1.2' } }))).toMatchObject({ status: 'fail', detail: expect.stringContaining('both have 10.0.1.2: the two targets are the same machine') });
  });

  it('fails nodes that disagree on a subnet\'s mask', () => {
    const m = mapRoles(inventory({ lan: ['10.0.1.2/24'] }), inventory({ lan: ['10.0.1.3/25'] }), { sshHosts: ssh });
    expect(mappingCheck(m)).toMatchObject({ status: 'fail', detail: expect.stringContaining('the primary\'s lan is 10.0.1.2/24 and the secondary\'s lan is 10.0.1.3/25') });
  });
});

describe('preflight VIP subnets', () => {
  const primary = inventory({ lan: ['10.0.1.2/24'], wan: ['198.51.100.2/24'], sync: ['10.0.2.2/24'] });
  const secondary = inventory({ lan: ['10.0.1.3/24'], wan: ['198.51.100.3/24'], sync: ['10.0.2.3/24'] });

  it('defaults the VIP segments to the LAN and WAN found, each with room for nodes and VIP', () => {
    const m = mapRoles(primary, secondary, { sshHosts: ssh });
    const segs = vipSegments(m, undefined);
    expect(segs.map((s) => [s.name, s.subnet])).toEqual([['lan', '10.0.1.0/24'], ['wan', '198.51.100.0/24']]);
    expect(segs.map((s) => vipSubnetCheck(s).status)).toEqual(['pass', 'pass']);
  });

  it('fails a /30: two usable addresses for two nodes and a VIP', () => {
    const m = mapRoles(primary, secondary, { sshHosts: ssh, vipSubnets: ['10.0.1.0/30'] });
    const [seg] = vipSegments(m, ['10.0.1.0/30']);
    expect(vipSubnetCheck(seg)).toMatchObject({ status: 'fail', segment: 'lan', detail: '10.0.1.0/30 has 2 usable addresses (10.0.1.1 to 10.0.1.2); CARP needs 3: one per node and the VIP' });
  });

  it('counts the gateway on a WAN: a /30 there fails with the private-addresses pattern as the fix', () => {
    const m = mapRoles(primary, secondary, { sshHosts: ssh, vipSubnets: ['198.51.100.0/30'] });
    const c = vipSubnetCheck(vipSegments(m, ['198.51.100.0/30'])[0]);
    expect(c).toMatchObject({ status: 'fail', segment: 'wan', detail: expect.stringContaining('CARP needs 4: one per node and the VIP, plus the gateway') });
    expect(c.fix).toContain('private addresses on the WAN link');
  });

  it('fails a VIP subnet the nodes have no address in, or one whose mask differs from the interfaces\'', () => {
    const m = mapRoles(primary, secondary, { sshHosts: ssh, vipSubnets: ['10.9.0.0/24', '10.0.1.0/25', 'lan'] });
    const checks = vipSegments(m, ['10.9.0.0/24', '10.0.1.0/25', 'lan']).map((s) => vipSubnetCheck(s));
    expect(checks.map((c) => [c.segment, c.status])).toEqual([['10.9.0.0/24', 'fail'], ['lan', 'fail'], ['lan', 'fail']]);
    expect(checks[0].detail).toContain('neither node has an address in it');
    expect(checks[1].detail).toContain('but the nodes\' interfaces use 10.0.1.0/24');
    expect(checks[2].detail).toBe('"lan" is not an IPv4 subnet');
  });

  it('warns when a node\'s address on a VIP subnet is leased by DHCP', () => {
    const m = mapRoles(primary, secondary, { sshHosts: ssh });
    const wan = vipSegments(m, undefined)[1];
    expect(vipSubnetCheck(wan, new Set(['198.51.100.3']))).toMatchObject({ status: 'warn', detail: expect.stringContaining('but the secondary\'s 198.51.100.3 is leased by DHCP'), fix: expect.stringContaining('static addresses on wan') });
  });

  it('warns that an IPv6 VIP subnet is not tested rather than failing it', () => {
    const m = mapRoles(primary, secondary, { sshHosts: ssh, vipSubnets: ['2001:db8:1::/64'] });
    expect(vipSubnetCheck(vipSegments(m, ['2001:db8:1::/64'])[0])).toMatchObject({ status: 'warn', segment: '2001:db8:1::/64', detail: expect.stringContaining('is IPv6') });
  });
});
