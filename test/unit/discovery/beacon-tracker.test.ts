import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../shared/capture/types.js';
import { BEACON_GROUP, BEACON_PORT, encodeBeacon, type Beacon } from '../../../shared/discovery/beacon.js';
import { DiscoveryTracker } from '../../../shared/discovery/tracker.js';
import { BEACON_GROUP6 } from '../../../shared/discovery/beacon.js';
import { buildCarpFrame, buildEthernet, buildIpv4, buildIpv6, ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../../../shared/protocol/build.js';
import { encodeCarp } from '../../../shared/protocol/carp.js';
import { decodeFrame } from '../../../shared/protocol/decode.js';

const T0 = 1_800_000_000;
let index = 0;

function frame(time: number, data: Uint8Array): Frame {
  const tsSec = Math.floor(time);
  return { index: ++index, tsSec, tsNsec: Math.round((time - tsSec) * 1e9), linkType: 1, iface: 0, data, origLen: data.length };
}

function beaconFrame(time: number, src: string, mac: string, b: Beacon, passwords = new Map<number, string>()): Frame {
  const payload = encodeBeacon(b, passwords);
  const udp = new Uint8Array(8 + payload.length);
  udp[2] = BEACON_PORT >> 8;
  udp[3] = BEACON_PORT & 0xff;
  udp[4] = udp.length >> 8;
  udp[5] = udp.length & 0xff;
  udp.set(payload, 8);
  if (src.includes(':')) {
    return frame(time, buildEthernet('33:33:43:44:42:4b', mac, ETHERTYPE_IPV6, buildIpv6({ src, dst: BEACON_GROUP6, hopLimit: 1, nextHeader: 17 }, udp)));
  }
  return frame(time, buildEthernet('01:00:5e:7f:43:44', mac, ETHERTYPE_IPV4, buildIpv4({ src, dst: BEACON_GROUP, ttl: 1, tos: 0, protocol: 17 }, udp)));
}

function carp6Frame(time: number, src: string, vhid: number): Frame {
  const payload = encodeCarp({ vhid, advbase: 1, advskew: 0, demote: 0, counter: BigInt(Math.round(time * 1000)), hmac: new Uint8Array(20) });
  return frame(time, buildCarpFrame({ family: 6, src, srcMac: '00:00:5e:00:01:06', carp: payload }));
}

function carpFrame(time: number, src: string, vhid: number): Frame {
  const payload = encodeCarp({ vhid, advbase: 1, advskew: 0, demote: 0, counter: BigInt(Math.round(time * 1000)), hmac: new Uint8Array(20) });
  return frame(time, buildCarpFrame({ family: 4, src, srcMac: '00:00:5e:00:01:01', carp: payload, id: 0 }));
}

function feed(t: DiscoveryTracker, f: Frame): void {
  t.feed(f, decodeFrame(f.linkType, f.data));
}

const FW1: Beacon = { name: 'fw1', version: '0.1.0', sshPort: 22, seq: 1, vhids: [{ vhid: 1, role: 'master' }] };
const FW2: Beacon = { name: 'fw2', version: '0.1.0', sshPort: 2222, seq: 1, managementAddress: '192.168.77.2', vhids: [{ vhid: 1, role: 'backup' }] };

describe('discovery tracker: carpd beacons', () => {
  it('lists a backup that never advertises as a node, and as a known backup of its group', () => {
    const t = new DiscoveryTracker({ started: T0, interface: 'eth0' });
    for (let i = 0; i < 3; i++) feed(t, carpFrame(T0 + i, '10.0.1.2', 1));
    feed(t, beaconFrame(T0 + 0.5, '10.0.1.2', '02:00:00:00:00:01', FW1));
    feed(t, beaconFrame(T0 + 0.6, '10.0.1.3', '02:00:00:00:00:02', FW2));
    const s = t.snapshot(T0 + 3);
    const fw2 = s.nodes.find((n) => n.name === 'fw2');
    expect(fw2).toEqual({
      name: 'fw2',
      version: '0.1.0',
      address: '10.0.1.3',
      mac: '02:00:00:00:00:02',
      sshPort: 2222,
      managementAddress: '192.168.77.2',
      vhids: [{ vhid: 1, role: 'backup' }],
      verified: false,
      lastSeen: T0 + 0.6,
    });
    expect(s.nodes.map((n) => n.name).sort()).toEqual(['fw1', 'fw2']);
    expect(s.groups[0].master?.address).toBe('10.0.1.2');
    expect(s.groups[0].backups).toEqual([{ node: 'fw2', address: '10.0.1.3', verified: false }]);
  });

  it('marks a node verified only when its beacon checks out with the password the user entered', () => {
    const secrets = [{ vhid: 1, password: 'pw' }];
    const t = new DiscoveryTracker({ started: T0, secrets });
    feed(t, beaconFrame(T0, '10.0.1.3', '02:00:00:00:00:02', FW2, new Map([[1, 'pw']])));
    feed(t, beaconFrame(T0, '10.0.1.4', '02:00:00:00:00:04', { ...FW2, name: 'fw3' }, new Map([[1, 'other']])));
    const s = t.snapshot(T0 + 1);
    expect(s.nodes.map((n) => [n.name, n.verified])).toEqual([
      ['fw2', true],
      ['fw3', false],
    ]);
  });

  it('an unverified beacon under a verified node\'s name does not replace it', () => {
    const t = new DiscoveryTracker({ started: T0, secrets: [{ vhid: 1, password: 'pw' }] });
    feed(t, beaconFrame(T0, '10.0.1.3', '02:00:00:00:00:02', FW2, new Map([[1, 'pw']])));
    feed(t, beaconFrame(T0 + 1, '10.0.1.66', '02:00:00:00:00:66', { ...FW2, vhids: [{ vhid: 1, role: 'master' }] }));
    expect(t.snapshot(T0 + 2).nodes.map((n) => [n.address, n.verified, n.vhids[0].role])).toEqual([['10.0.1.3', true, 'backup']]);
  });

  it('a later beacon replaces the node\'s roles (a failover shows at once)', () => {
    const t = new DiscoveryTracker({ started: T0 });
    feed(t, beaconFrame(T0, '10.0.1.3', '02:00:00:00:00:02', FW2));
    feed(t, beaconFrame(T0 + 1, '10.0.1.3', '02:00:00:00:00:02', { ...FW2, seq: 2, vhids: [{ vhid: 1, role: 'master' }] }));
    expect(t.snapshot(T0 + 1).nodes.map((n) => n.vhids)).toEqual([[{ vhid: 1, role: 'master' }]]);
  });

  it('stops counting a node as a group\'s backup once its beacons stop, and ignores malformed beacons', () => {
    const t = new DiscoveryTracker({ started: T0 });
    feed(t, beaconFrame(T0, '10.0.1.3', '02:00:00:00:00:02', FW2));
    const broken = beaconFrame(T0, '10.0.1.9', '02:00:00:00:00:09', { ...FW2, name: 'fw9' });
    const cut = frame(T0, broken.data.subarray(0, broken.data.length - 2));
    expect(() => feed(t, cut)).not.toThrow();
    for (let i = 0; i < 30; i++) feed(t, carpFrame(T0 + i, '10.0.1.2', 1));
    expect(t.snapshot(T0 + 5).groups[0].backups?.map((b) => b.node)).toEqual(['fw2']);
    expect(t.snapshot(T0 + 29).groups[0].backups).toEqual([]);
    expect(t.snapshot(T0 + 29).nodes.map((n) => n.name)).toEqual(['fw2']);
  });
});

describe('discovery tracker: carpd beacons over IPv6', () => {
  it('lists the backup of an IPv6-only CARP group from its IPv6 beacon, verified, at its link-local address', () => {
    const t = new DiscoveryTracker({ started: T0, interface: 'eth0', secrets: [{ vhid: 6, password: 'pw6' }] });
    const pw = new Map([[6, 'pw6']]);
    for (let i = 0; i < 3; i++) feed(t, carp6Frame(T0 + i, 'fe80::2', 6));
    feed(t, beaconFrame(T0 + 0.5, 'fe80::2', '02:00:00:00:00:01', { ...FW1, vhids: [{ vhid: 6, role: 'master' }] }, pw));
    feed(t, beaconFrame(T0 + 0.6, 'fe80::3', '02:00:00:00:00:02', { ...FW2, vhids: [{ vhid: 6, role: 'backup' }] }, pw));
    const s = t.snapshot(T0 + 3);
    expect(s.groups.map((g) => [g.id, g.family, g.master?.address])).toEqual([['carp:6/ipv6', 6, 'fe80::2']]);
    expect(s.groups[0].backups).toEqual([{ node: 'fw2', address: 'fe80::3', verified: true }]);
    expect(s.nodes.find((n) => n.name === 'fw2')).toMatchObject({ address: 'fe80::3', address6: 'fe80::3', mac: '02:00:00:00:00:02', vhids: [{ vhid: 6, role: 'backup' }], verified: true });
  });

  it('merges a node\'s IPv4 and IPv6 beacons into one node that keeps its IPv4 address while IPv4 beacons arrive', () => {
    const t = new DiscoveryTracker({ started: T0 });
    for (let i = 0; i < 3; i++) {
      feed(t, beaconFrame(T0 + i, '10.0.1.3', '02:00:00:00:00:02', { ...FW2, seq: i }));
      feed(t, beaconFrame(T0 + i + 0.001, 'fe80::3', '02:00:00:00:00:02', { ...FW2, seq: i }));
    }
    const nodes = t.snapshot(T0 + 3).nodes;
    expect(nodes.map((n) => [n.name, n.address, n.address6])).toEqual([['fw2', '10.0.1.3', 'fe80::3']]);
    // IPv4 beacons stop (the switch prunes them, the address went away): the IPv6 source takes over
    for (let i = 3; i < 15; i++) feed(t, beaconFrame(T0 + i, 'fe80::3', '02:00:00:00:00:02', { ...FW2, seq: i }));
    expect(t.snapshot(T0 + 15).nodes.map((n) => [n.address, n.address6])).toEqual([['fe80::3', 'fe80::3']]);
    // and IPv6 ones stop: the node no longer claims an IPv6 source
    for (let i = 15; i < 27; i++) feed(t, beaconFrame(T0 + i, '10.0.1.3', '02:00:00:00:00:02', { ...FW2, seq: i }));
    const last = t.snapshot(T0 + 27).nodes[0];
    expect([last.address, last.address6]).toEqual(['10.0.1.3', undefined]);
  });
});
