import { describe, expect, it } from 'vitest';
import { stateSyncSchema } from '../../../daemon/statesync/config.js';

const issues = (input: unknown) => {
  const r = stateSyncSchema.safeParse(input);
  if (r.success) throw new Error('expected a config error');
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('stateSync config', () => {
  it('needs only the interface and the peer, and fills documented defaults', () => {
    expect(stateSyncSchema.parse({ interface: 'sync', peer: '10.0.3.3' })).toEqual({
      interface: 'sync',
      peer: '10.0.3.3',
      transport: 'unicast',
      multicastGroup: '225.0.0.50',
      port: 3780,
      ignore: [],
      startupTimeout: 30,
      purgeTimeout: 60,
      stallAfter: 10,
      conntrackd: 'conntrackd',
    });
  });

  it('requires the peer for unicast and explains what it is', () => {
    expect(issues({ interface: 'sync' })).toEqual(['peer: is required with unicast transport (the address of the other firewall on the sync link)']);
  });

  it('accepts multicast without a peer', () => {
    expect(stateSyncSchema.parse({ interface: 'sync', transport: 'multicast' }).peer).toBeUndefined();
  });

  it('rejects a multicast group outside 224.0.0.0/4', () => {
    expect(issues({ interface: 'sync', transport: 'multicast', multicastGroup: '10.1.1.1' })).toEqual(['multicastGroup: must be in 224.0.0.0/4, got 10.1.1.1']);
  });

  it('names an unknown protocol and the allowed ones', () => {
    expect(issues({ interface: 'sync', peer: '10.0.3.3', protocols: ['tcp', 'gre'] })[0]).toMatch(/^protocols\.1: .*tcp, udp, icmp, icmpv6, sctp, dccp/);
  });

  it('rejects a peer that is not an address, a prefix on it, and unknown fields', () => {
    expect(issues({ interface: 'sync', peer: 'fw2' })[0]).toContain('peer: must be an IPv4 or IPv6 address');
    expect(issues({ interface: 'sync', peer: '10.0.3.3/24' })[0]).toContain('peer: must be an IPv4 or IPv6 address');
    expect(issues({ interface: 'sync', peer: '10.0.3.3', intervall: 2 })[0]).toContain('intervall');
  });

  it('rejects a local address of another family than the peer', () => {
    expect(issues({ interface: 'sync', peer: '10.0.3.3', address: 'fd00::2' })).toEqual(['address: must be of the same family as peer 10.0.3.3']);
  });

  it('rejects an interface name Linux cannot have', () => {
    expect(issues({ interface: 'a very long interface', peer: '10.0.3.3' })[0]).toContain('interface: must be a Linux interface name');
  });
});
