import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../shared/capture/types.js';
import { BEACON_GROUP, BEACON_PORT, encodeBeacon, type Beacon } from '../../../shared/discovery/beacon.js';
import { DiscoveryTracker } from '../../../shared/discovery/tracker.js';
import { buildCarpFrame, buildEthernet, buildIpv4, ETHERTYPE_IPV4 } from '../../../shared/protocol/build.js';
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
  return frame(time, buildEthernet('01:00:5e:7f:43:44', mac, ETHERTYPE_IPV4, buildIpv4({ src, dst: BEACON_GROUP, ttl: 1, tos: 0, protocol: 17 }, udp)));
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
