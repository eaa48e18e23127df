import { describe, expect, it } from 'vitest';
import { buildCarpFrame, buildGratuitousArp, buildIpv4, buildUnsolicitedNa, BuildError } from '../../../shared/protocol/build.js';
import { encodeCarp } from '../../../shared/protocol/carp.js';
import { toHex } from '../../../shared/util/addr.js';
import { checksumVerifies, pseudoHeaderSum } from '../../../shared/util/checksum.js';

const carp = encodeCarp({ vhid: 3, advbase: 1, advskew: 0, demote: 0, counter: 1n, hmac: new Uint8Array(20) });

describe('frame builders', () => {
  it('builds an IPv4 CARP frame to 224.0.0.18 from the multicast MAC with TTL 255 and a valid header checksum', () => {
    const f = buildCarpFrame({ family: 4, srcMac: '00:00:5e:00:01:03', src: '10.0.0.2', carp });
    expect(f.length).toBe(14 + 20 + 36);
    expect(toHex(f.subarray(0, 14))).toBe('01005e000012' + '00005e000103' + '0800');
    const ip = f.subarray(14, 34);
    expect(ip[8]).toBe(255);
    expect(ip[9]).toBe(112);
    expect(ip[1]).toBe(0x10);
    expect((ip[2] << 8) | ip[3]).toBe(56);
    expect(toHex(ip.subarray(12, 20))).toBe('0a000002e0000012');
    expect(checksumVerifies(ip)).toBe(true);
    expect(toHex(f.subarray(34))).toBe(toHex(carp));
  });

  it('builds an IPv6 CARP frame to ff02::12 via 33:33:00:00:00:12 with hop limit 255', () => {
    const f = buildCarpFrame({ family: 6, srcMac: '00:00:5e:00:01:03', src: 'fe80::1', tos: 0xe0, carp });
    expect(toHex(f.subarray(0, 6))).toBe('333300000012');
    expect(toHex(f.subarray(12, 14))).toBe('86dd');
    const ip = f.subarray(14);
    expect(ip[0] >> 4).toBe(6);
    expect(((ip[0] & 0x0f) << 4) | (ip[1] >> 4)).toBe(0xe0);
    expect((ip[4] << 8) | ip[5]).toBe(36);
    expect(ip[6]).toBe(112);
    expect(ip[7]).toBe(255);
    expect(toHex(ip.subarray(24, 40))).toBe('ff020000000000000000000000000012');
  });

  it('honours explicit destination, TTL, TOS and the DF flag', () => {
    const ip = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', ttl: 1, tos: 0xc0, protocol: 17, id: 0x1234, df: false }, new Uint8Array(4));
    expect(toHex(ip.subarray(0, 10))).toBe('45c000181234' + '0000' + '0111');
    expect(checksumVerifies(ip.subarray(0, 20))).toBe(true);
  });

  it('builds a gratuitous ARP request: broadcast, sender IP equal to target IP', () => {
    const f = buildGratuitousArp('02:00:00:00:00:01', '10.0.1.1');
    expect(toHex(f.subarray(0, 14))).toBe('ffffffffffff' + '020000000001' + '0806');
    expect(toHex(f.subarray(14))).toBe('0001080006040001' + '020000000001' + '0a000101' + '000000000000' + '0a000101');
  });

  it('builds an unsolicited NA to ff02::1 with the override flag, the target link-layer option and a valid checksum', () => {
    const f = buildUnsolicitedNa('02:00:00:00:00:01', '2001:db8::10');
    expect(toHex(f.subarray(0, 6))).toBe('333300000001');
    const ip = f.subarray(14, 54);
    expect(ip[6]).toBe(58);
    expect(ip[7]).toBe(255);
    const icmp = f.subarray(54);
    expect(icmp.length).toBe(32);
    expect(icmp[0]).toBe(136);
    expect(icmp[4]).toBe(0x20);
    expect(toHex(icmp.subarray(24))).toBe('0201020000000001');
    const sum = pseudoHeaderSum(ip.subarray(8, 24), ip.subarray(24, 40), 58, icmp.length);
    expect(checksumVerifies(icmp, 0, icmp.length, sum)).toBe(true);
  });

  it('rejects an address that does not parse with a BuildError naming it', () => {
    expect(() => buildGratuitousArp('02:00:00:00:00:01', '10.0.1')).toThrow(BuildError);
    expect(() => buildCarpFrame({ family: 4, srcMac: 'zz', src: '10.0.0.1', carp })).toThrow(/"zz" is not a MAC address/);
  });
});
