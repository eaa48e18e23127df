import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintNat, natCheck } from '../../../../electron/core/pairing/preflight/nat.js';

// `nft -j list ruleset` of a postrouting chain with one rule per case (handles 2-9), from nftables 1.0.6.
const ruleset = readFileSync(join(import.meta.dirname, 'fixtures', 'nft-nat-ruleset.json'), 'utf8');
const own = [
  { iface: 'lan', address: '10.0.1.2' },
  { iface: 'wan', address: '198.51.100.2' },
  { iface: 'sync', address: '10.0.2.2' },
];

describe('preflight NAT lint', () => {
  it('flags source NAT that would translate the firewall\'s own traffic, and leaves well-scoped rules alone', () => {
    const findings = lintNat(ruleset, { ownAddresses: own });
    expect(findings).toEqual([
      { rule: 'ip nat postrouting (handle 3): masquerade', problem: 'any-interface', action: 'masquerade' },
      { rule: 'ip nat postrouting (handle 4): oifname "wan" snat to 198.51.100.1', problem: 'own-traffic', action: 'snat' },
      // the LAN prefix holds the firewall's own LAN address, and with no output interface its CARP adverts match
      { rule: 'ip nat postrouting (handle 5): ip saddr 10.0.1.0/24 snat to 198.51.100.1', problem: 'any-interface', action: 'snat' },
      // negative matches restrict nothing to one interface or to the LAN's hosts
      { rule: 'ip nat postrouting (handle 6): oifname != "sync" ip saddr != 10.0.2.0/24 masquerade', problem: 'any-interface', action: 'masquerade' },
    ]);
    // handle 2 (oifname wan + LAN source, masquerade), 7 (input interface: forwarded only) and 9 (oifname wan +
    // LAN source set: the firewall's own packets leave the WAN from its WAN address) are fine
  });

  it('passes an empty ruleset and explains a warning with a scoped rule to write instead', () => {
    expect(natCheck('primary', { ruleset: '{"nftables": [{"metainfo": {"version": "1.0.6"}}]}' }, { ownAddresses: own })).toMatchObject({ status: 'pass', fix: '' });
    const c = natCheck('secondary', { ruleset }, { ownAddresses: own, wanInterface: 'eth0', lanSubnet: '10.0.1.0/24' });
    expect(c.status).toBe('warn');
    expect(c.detail).toContain('(handle 3): masquerade applies on every interface and to the firewall\'s own packets, so CARP adverts and state sync to the peer get translated too');
    expect(c.detail).toContain('(handle 4): oifname "wan" snat to 198.51.100.1 also translates the firewall\'s own traffic');
    expect(c.fix).toContain('oifname "eth0" ip saddr 10.0.1.0/24 masquerade');
  });

  it('says what went wrong when the ruleset cannot be read, and skips when nftables is absent', () => {
    expect(natCheck('primary', { ruleset: 'Error: syntax' }, { ownAddresses: own })).toMatchObject({ status: 'fail', detail: 'nft -j list ruleset did not print JSON' });
    expect(natCheck('primary', { error: 'Operation not permitted' }, { ownAddresses: own })).toMatchObject({ status: 'warn', detail: 'could not read the ruleset: Operation not permitted' });
    expect(natCheck('primary', { noNft: true }, { ownAddresses: own }).status).toBe('skipped');
  });
});
