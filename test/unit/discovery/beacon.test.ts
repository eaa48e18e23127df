import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BEACON_PORT, decodeBeacon, encodeBeacon, verifyBeacon, type Beacon } from '../../../shared/discovery/beacon.js';
import { beaconDatagram } from '../../../shared/discovery/beacon-frame.js';
import { buildEthernet, buildIpv4, ETHERTYPE_IPV4 } from '../../../shared/protocol/build.js';
import { hmacSha256, sha256 } from '../../../shared/util/sha256.js';

const BEACON: Beacon = {
  name: 'fw2',
  version: '0.1.0',
  sshPort: 2222,
  seq: 0xfffffffe,
  managementAddress: '192.168.77.2',
  vhids: [
    { vhid: 1, role: 'backup' },
    { vhid: 7, role: 'master' },
  ],
};
const PASSWORDS = new Map([
  [1, 'secret-one'],
  [7, 'secret-seven'],
]);

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 17 + (i >> 3)) & 0xff;
  return out;
}

describe('sha256', () => {
  it('matches node:crypto for every length around the block and padding boundaries', () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const data = bytes(n, n);
      expect(Buffer.from(sha256(data)).toString('hex'), `length ${n}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('gives the same digest when the input is fed in pieces', () => {
    const data = bytes(300, 5);
    expect(sha256(data.subarray(0, 7), data.subarray(7, 70), data.subarray(70))).toEqual(sha256(data));
  });

  it('HMAC-SHA256 matches node:crypto for short and long keys', () => {
    for (const keyLen of [0, 16, 64, 65, 200]) {
      const key = bytes(keyLen, 9);
      const msg = bytes(150, 2);
      expect(Buffer.from(hmacSha256(key, msg)).toString('hex'), `key length ${keyLen}`).toBe(createHmac('sha256', key).update(msg).digest('hex'));
    }
  });
});

describe('carpd beacon codec', () => {
  it('round-trips every field', () => {
    const r = decodeBeacon(encodeBeacon(BEACON, PASSWORDS));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.beacon).toEqual(BEACON);
    expect(r.value.tags.map((t) => t.vhid)).toEqual([1, 7]);
  });

  it('round-trips a node name outside ASCII and leaves out an absent management address', () => {
    const b: Beacon = { name: 'pare-feu-é-東京', version: '1.2.3', sshPort: 22, seq: 1, vhids: [{ vhid: 255, role: 'init' }] };
    const r = decodeBeacon(encodeBeacon(b, new Map()));
    expect(r.ok && r.value.beacon).toEqual(b);
  });

  it('verifies with the right vhid password and not with a wrong one', () => {
    const r = decodeBeacon(encodeBeacon(BEACON, PASSWORDS));
    if (!r.ok) throw new Error(r.error.message);
    expect(verifyBeacon(r.value, [{ vhid: 7, password: 'secret-seven' }])).toBe(true);
    expect(verifyBeacon(r.value, [{ vhid: 7, password: 'secret-one' }])).toBe(false);
    expect(verifyBeacon(r.value, [{ vhid: 2, password: 'secret-one' }])).toBe(false);
    expect(verifyBeacon(r.value, [])).toBe(false);
  });

  it('signs with HMAC-SHA256 keyed by SHA-256("carpdeck-beacon-v1" + password), as node:crypto computes it', () => {
    const wire = encodeBeacon(BEACON, new Map([[1, 'secret-one']]));
    const r = decodeBeacon(wire);
    if (!r.ok) throw new Error(r.error.message);
    const key = createHash('sha256').update('carpdeck-beacon-v1secret-one').digest();
    expect(Buffer.from(r.value.tags[0].hmac).toString('hex')).toBe(createHmac('sha256', key).update(r.value.signed).digest('hex'));
    expect(wire.length).toBe(r.value.signed.length + 1 + 33);
  });

  it('a tampered beacon still decodes but no longer verifies', () => {
    const wire = encodeBeacon(BEACON, PASSWORDS);
    const signedLength = wire.length - 1 - 2 * 33;
    const at = signedLength - 3;
    expect(wire[at]).toBe(1);
    wire[at] = 2;
    const r = decodeBeacon(wire);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.beacon.vhids[0]).toEqual({ vhid: 1, role: 'master' });
    expect(verifyBeacon(r.value, [{ vhid: 1, password: 'secret-one' }])).toBe(false);
  });

  it('a beacon without passwords carries no tags and is unverified', () => {
    const r = decodeBeacon(encodeBeacon(BEACON, new Map()));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.tags).toEqual([]);
    expect(verifyBeacon(r.value, [{ vhid: 1, password: 'secret-one' }])).toBe(false);
  });

  it('malformed input gives a typed error naming what is wrong, never an exception', () => {
    const wire = encodeBeacon(BEACON, PASSWORDS);
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(0), 'not-a-beacon'],
      [Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]), 'not-a-beacon'],
      [wire.slice(0, 8), 'truncated'],
      [wire.slice(0, 20), 'truncated'],
      [wire.slice(0, wire.length - 5), 'truncated'],
      [Uint8Array.from([...wire, 0]), 'malformed'],
    ];
    const future = wire.slice();
    future[4] = 9;
    cases.push([future, 'unsupported-version']);
    const badRole = encodeBeacon({ ...BEACON, vhids: [{ vhid: 3, role: 'backup' }] }, new Map());
    badRole[badRole.length - 2] = 9;
    cases.push([badRole, 'malformed']);
    const badUtf8 = encodeBeacon({ ...BEACON, name: 'ab' }, new Map());
    badUtf8[13] = 0xff;
    cases.push([badUtf8, 'malformed']);
    for (const [input, code] of cases) {
      const r = decodeBeacon(input);
      expect(r.ok, `${code}: ${Buffer.from(input).toString('hex')}`).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(/beacon/);
      expect(r.error.where).toBeGreaterThanOrEqual(0);
    }
    for (let n = 0; n < wire.length; n++) expect(decodeBeacon(wire.subarray(0, n)).ok).toBe(false);
  });
});

describe('beacon datagram in a captured frame', () => {
  function udpFrame(dport: number, payload: Uint8Array): Uint8Array {
    const udp = new Uint8Array(8 + payload.length);
    udp[0] = 0x1a;
    udp[1] = 0x70;
    udp[2] = dport >> 8;
    udp[3] = dport & 0xff;
    udp[4] = udp.length >> 8;
    udp[5] = udp.length & 0xff;
    udp.set(payload, 8);
    const ip = buildIpv4({ src: '10.9.0.2', dst: '239.255.67.68', ttl: 1, tos: 0, protocol: 17 }, udp);
    return buildEthernet('01:00:5e:7f:43:44', '02:00:00:00:00:02', ETHERTYPE_IPV4, ip);
  }

  it('finds the payload, source address and MAC of a datagram to the beacon port', () => {
    const payload = encodeBeacon(BEACON, PASSWORDS);
    const d = beaconDatagram(1, udpFrame(BEACON_PORT, payload));
    expect(d?.src).toBe('10.9.0.2');
    expect(d?.srcMac).toBe('02:00:00:00:00:02');
    expect(d?.payload).toEqual(payload);
  });

  it('ignores UDP to other ports', () => {
    expect(beaconDatagram(1, udpFrame(BEACON_PORT + 1, new Uint8Array(4)))).toBeNull();
  });
});
