import { describe, expect, it } from 'vitest';
import { contains, networkOf, overlaps, parseIpv4Address, parseIpv4Cidr, usableAddresses, usableRange } from '../../../../electron/core/pairing/preflight/cidr.js';

describe('preflight IPv4 subnets', () => {
  it('counts the usable addresses of a subnet: a /30 has 2, a /29 6, a /24 254, a /31 2 and a /32 1', () => {
    expect([24, 29, 30, 31, 32].map(usableAddresses)).toEqual([254, 6, 2, 2, 1]);
  });

  it('gives the first and last usable address', () => {
    expect(usableRange(parseIpv4Cidr('10.0.1.0/30')!)).toEqual(['10.0.1.1', '10.0.1.2']);
    expect(usableRange(parseIpv4Cidr('10.0.1.77/29')!)).toEqual(['10.0.1.73', '10.0.1.78']);
    expect(usableRange(parseIpv4Cidr('192.0.2.4/31')!)).toEqual(['192.0.2.4', '192.0.2.5']);
  });

  it('reduces an interface address to its network and tells containment and overlap', () => {
    const lan = parseIpv4Cidr('10.0.1.2/24')!;
    expect(networkOf(lan)).toBe('10.0.1.0/24');
    expect(contains(lan, parseIpv4Address('10.0.1.254')!)).toBe(true);
    expect(contains(lan, parseIpv4Address('10.0.2.1')!)).toBe(false);
    expect(overlaps(lan, parseIpv4Cidr('10.0.1.0/30')!)).toBe(true);
    expect(overlaps(lan, parseIpv4Cidr('10.0.2.0/24')!)).toBe(false);
  });

  it('rejects what is not IPv4 CIDR', () => {
    for (const bad of ['10.0.1.0/33', '10.0.256.0/24', '2001:db8::/64', 'lan', '10.0.1.0/24/1', '10.0.1.0/x']) expect(parseIpv4Cidr(bad), bad).toBeUndefined();
  });
});
