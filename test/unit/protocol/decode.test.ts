import { describe, expect, it } from 'vitest';
import { buildCarpFrame, buildEthernet, buildGratuitousArp, buildIpv4, buildIpv6, buildUnsolicitedNa } from '../../../shared/protocol/build.js';
import { encodeCarp } from '../../../shared/protocol/carp.js';
import { encodeConntrackd } from '../../../shared/protocol/conntrackd.js';
import { decodeFrame, type DecodedIpInfo } from '../../../shared/protocol/decode.js';
import { encodePfsync } from '../../../shared/protocol/pfsync.js';
import type { CarpAdvert, ConntrackdPacket, PfsyncPacket, VrrpAdvert } from '../../../shared/protocol/types.js';
import { encodeVrrp2, encodeVrrp3 } from '../../../shared/protocol/vrrp.js';
import { concatBytes } from '../../../shared/capture/pcap-writer.js';
import { checksumVerifies, internetChecksum, pseudoHeaderSum } from '../../../shared/util/checksum.js';

const hmac = Uint8Array.from({ length: 20 }, (_, i) => i);
const carp = encodeCarp({ vhid: 7, advbase: 1, advskew: 100, demote: 0, counter: 42n, hmac });
const carpV4 = buildCarpFrame({ family: 4, srcMac: '00:00:5e:00:01:07', src: '10.0.0.2', carp, id: 9 });
const ip4Carp = carpV4.subarray(14);

function ipv4(protocol: number, payload: Uint8Array, extra: Partial<{ src: string; dst: string; ttl: number }> = {}): Uint8Array {
  return buildIpv4({ src: extra.src ?? '10.0.0.2', dst: extra.dst ?? '224.0.0.18', ttl: extra.ttl ?? 255, tos: 0, protocol }, payload);
}
const eth = (et: number, payload: Uint8Array) => buildEthernet('01:00:5e:00:00:12', '00:00:5e:00:01:07', et, payload);
const u16 = (v: number) => Uint8Array.of(v >> 8, v & 0xff);

describe('link layers', () => {
  it('decodes CARP over Ethernet with MACs and no VLAN', () => {
    const d = decodeFrame(1, carpV4)!;
    expect(d.link).toEqual({ vlans: [], srcMac: '00:00:5e:00:01:07', dstMac: '01:00:5e:00:00:12' });
    expect(d.ip).toMatchObject({ family: 4, src: '10.0.0.2', dst: '224.0.0.18', ttl: 255, tos: 0x10, protocol: 112, headerChecksumOk: true });
    expect(d.ha).toMatchObject({ kind: 'carp', vhid: 7, advskew: 100, counter: 42n, checksumOk: true });
  });

  it('reads stacked 802.1ad / 802.1Q / 0x9100 tags outermost first', () => {
    const tag = (tpid: number, vid: number) => concatBytes([u16(tpid), u16(0x2000 | vid)]);
    const f = concatBytes([carpV4.subarray(0, 12), tag(0x88a8, 100), tag(0x9100, 200), tag(0x8100, 300), carpV4.subarray(12)]);
    const d = decodeFrame(1, f)!;
    expect(d.link.vlans).toEqual([100, 200, 300]);
    expect((d.ha as CarpAdvert).vhid).toBe(7);
  });

  it('decodes Linux cooked SLL and SLL2 with the source MAC', () => {
    const sll = concatBytes([u16(0), u16(1), u16(6), Uint8Array.of(0, 0, 0x5e, 0, 1, 7, 0, 0), u16(0x0800), ip4Carp]);
    const d1 = decodeFrame(113, sll)!;
    expect(d1.link.srcMac).toBe('00:00:5e:00:01:07');
    expect(d1.link.dstMac).toBeUndefined();
    expect(d1.ha?.kind).toBe('carp');
    const sll2 = concatBytes([u16(0x0800), u16(0), Uint8Array.of(0, 0, 0, 3), u16(1), Uint8Array.of(2, 6), Uint8Array.of(0, 0, 0x5e, 0, 1, 7, 0, 0), ip4Carp]);
    const d2 = decodeFrame(276, sll2)!;
    expect(d2.link.srcMac).toBe('00:00:5e:00:01:07');
    expect(d2.ha?.kind).toBe('carp');
  });

  it('decodes raw IP (101, 228, 229) and NULL/loopback in either byte order', () => {
    const v6 = buildIpv6({ src: 'fe80::1', dst: 'ff02::12', hopLimit: 255, nextHeader: 112 }, carp);
    expect(decodeFrame(101, ip4Carp)?.ha?.kind).toBe('carp');
    expect(decodeFrame(101, v6)?.ha?.kind).toBe('carp');
    expect(decodeFrame(228, ip4Carp)?.ha?.kind).toBe('carp');
    expect(decodeFrame(229, v6)?.ip?.src).toBe('fe80::1');
    expect(decodeFrame(0, concatBytes([Uint8Array.of(2, 0, 0, 0), ip4Carp]))?.ha?.kind).toBe('carp');
    expect(decodeFrame(0, concatBytes([Uint8Array.of(0, 0, 0, 2), ip4Carp]))?.ha?.kind).toBe('carp');
    expect(decodeFrame(0, concatBytes([Uint8Array.of(30, 0, 0, 0), v6]))?.ha?.kind).toBe('carp');
    expect(decodeFrame(0, concatBytes([Uint8Array.of(10, 0, 0, 0), v6]))?.ha?.kind).toBe('carp');
  });

  it('reports any other link type as unsupported, naming it and how to re-capture', () => {
    const d = decodeFrame(105, carpV4)!;
    expect(d.problem?.code).toBe('unsupported-link-type');
    expect(d.problem?.message).toBe(
      'unsupported link type 105 (IEEE 802.11): CarpDeck reads Ethernet, Linux cooked (SLL/SLL2) and raw IP captures; re-capture with tcpdump -i <ethernet interface> -w FILE, or tcpdump -i any -w FILE on Linux',
    );
    expect(decodeFrame(4242, carpV4)?.problem?.message).toMatch(/^unsupported link type 4242: /);
  });
});

describe('unrelated traffic', () => {
  it('returns null for TCP, other UDP ports, ICMPv6 other than NA, IPX, short frames and non-gratuitous ARP', () => {
    expect(decodeFrame(1, eth(0x0800, ipv4(6, new Uint8Array(40))))).toBeNull();
    expect(decodeFrame(1, eth(0x0800, ipv4(17, concatBytes([u16(5000), u16(53), u16(20), u16(0), new Uint8Array(12)]))))).toBeNull();
    expect(decodeFrame(1, eth(0x86dd, buildIpv6({ src: 'fe80::1', dst: 'ff02::1', hopLimit: 255, nextHeader: 58 }, Uint8Array.of(128, 0, 0, 0, 0, 0, 0, 0))))).toBeNull();
    expect(decodeFrame(1, eth(0x8137, new Uint8Array(30)))).toBeNull();
    expect(decodeFrame(1, carpV4.subarray(0, 13))).toBeNull();
    const arp = buildGratuitousArp('02:00:00:00:00:01', '10.0.1.1');
    arp[14 + 27] = 2;
    expect(decodeFrame(1, arp)).toBeNull();
  });

  it('ignores non-first IPv4 fragments and IPv6 fragments with a non-zero offset', () => {
    const f = ip4Carp.slice();
    f[6] = 0x00;
    f[7] = 0x10;
    expect(decodeFrame(228, f)).toBeNull();
    const frag = concatBytes([Uint8Array.of(112, 0, 0, 0x08, 0, 0, 0, 1), carp]);
    expect(decodeFrame(229, buildIpv6({ src: 'fe80::1', dst: 'ff02::12', hopLimit: 255, nextHeader: 44 }, frag))).toBeNull();
  });
});

describe('IPv4 and IPv6 details', () => {
  it('skips IPv4 options, trims Ethernet padding and reports a bad header checksum', () => {
    const opts = buildIpv4({ src: '10.0.0.2', dst: '224.0.0.18', ttl: 255, tos: 0, protocol: 112 }, carp);
    const withOpts = concatBytes([Uint8Array.of(0x46), opts.subarray(1, 20), Uint8Array.of(0x94, 0x04, 0, 0), carp]);
    withOpts[3] += 4;
    withOpts[10] = 0;
    withOpts[11] = 0;
    const c = internetChecksum(withOpts, 0, 24);
    withOpts[10] = c >> 8;
    withOpts[11] = c & 0xff;
    const padded = concatBytes([withOpts, new Uint8Array(10)]);
    const d = decodeFrame(228, padded)!;
    expect(d.ha?.kind).toBe('carp');
    expect((d.ip as DecodedIpInfo).headerChecksumOk).toBe(true);
    expect((d.ip as DecodedIpInfo).payloadLength).toBe(36);
    padded[8] = 254;
    expect(decodeFrame(228, padded)?.ip).toMatchObject({ ttl: 254, headerChecksumOk: false });
  });

  it('walks hop-by-hop, routing, destination-options, fragment (offset 0) and AH headers', () => {
    const hbh = Uint8Array.of(43, 0, 1, 4, 0, 0, 0, 0);
    const rt = Uint8Array.of(60, 0, 0, 0, 0, 0, 0, 0);
    const dst = Uint8Array.of(44, 1, 1, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    const frag = Uint8Array.of(51, 0, 0, 0, 0, 0, 0, 1);
    const ah = concatBytes([Uint8Array.of(112, 4, 0, 0), new Uint8Array(20)]);
    const v6 = buildIpv6({ src: 'fe80::1', dst: 'ff02::12', hopLimit: 255, trafficClass: 0xe0, nextHeader: 0 }, concatBytes([hbh, rt, dst, frag, ah, carp]));
    const d = decodeFrame(229, v6)!;
    expect(d.ip).toMatchObject({ family: 6, protocol: 112, tos: 0xe0, ttl: 255, dst: 'ff02::12' });
    expect((d.ha as CarpAdvert).counter).toBe(42n);
  });

  it('reports a CARP advertisement cut by the snap length as truncated', () => {
    const d = decodeFrame(1, carpV4.subarray(0, 60))!;
    expect(d.ha).toBeUndefined();
    expect(d.problem?.code).toBe('truncated');
    expect(d.problem?.message).toMatch(/CARP advertisement cut to 26 of 36 bytes/);
  });
});

describe('IP protocol 112: CARP or VRRP (carp-wire.md §6)', () => {
  it('decodes VRRPv2 with simple-text auth and converts the interval to centiseconds', () => {
    const v = encodeVrrp2({ vrid: 42, priority: 191, intervalSec: 10, addresses: ['10.4.42.1', '10.4.42.2'], authType: 1, authText: 'abcdefgh' });
    const d = decodeFrame(228, ipv4(112, v))!;
    expect(d.ha).toMatchObject({ kind: 'vrrp2', version: 2, vrid: 42, priority: 191, countAddrs: 2, authType: 1, authText: 'abcdefgh', intervalCs: 1000, addresses: ['10.4.42.1', '10.4.42.2'], checksumOk: true });
  });

  it('decodes VRRPv3 over IPv4 and IPv6 with the pseudo-header checksum', () => {
    const v4 = encodeVrrp3({ family: 4, vrid: 44, priority: 0, intervalCs: 100, addresses: ['10.4.44.100'], src: '10.0.0.91' });
    expect(decodeFrame(228, ipv4(112, v4, { src: '10.0.0.91' }))?.ha).toMatchObject({ kind: 'vrrp3', priority: 0, intervalCs: 100, checksumOk: true, addresses: ['10.4.44.100'] });
    const v6 = encodeVrrp3({ family: 6, vrid: 45, priority: 150, intervalCs: 4095, addresses: ['fe80::200:5eff:fe00:22d', '2001::abcd:a'], src: 'fe80::1' });
    const d6 = decodeFrame(229, buildIpv6({ src: 'fe80::1', dst: 'ff02::12', hopLimit: 255, nextHeader: 112 }, v6))!;
    expect(d6.ha).toMatchObject({ kind: 'vrrp3', vrid: 45, intervalCs: 4095, checksumOk: true, addresses: ['fe80::200:5eff:fe00:22d', '2001::abcd:a'] });
  });

  it('flags a VRRPv3 checksum made without the pseudo-header as failed, noting the v2-style form', () => {
    const v = encodeVrrp3({ family: 4, vrid: 1, priority: 100, intervalCs: 100, addresses: ['10.0.0.1'], src: '10.0.0.2', checksumAsV2: true });
    const ha = decodeFrame(228, ipv4(112, v))?.ha as VrrpAdvert & { checksumV2Style?: boolean };
    expect(ha.checksumOk).toBe(false);
    expect(ha.checksumV2Style).toBe(true);
  });

  it('decodes a VRRPv2 packet with five addresses (36 bytes, byte 3 = 5) as VRRP, not CARP', () => {
    const v = encodeVrrp2({ vrid: 9, priority: 100, intervalSec: 1, addresses: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'] });
    expect(v.length).toBe(36);
    expect(decodeFrame(228, ipv4(112, v))?.ha?.kind).toBe('vrrp2');
  });

  it('decodes a VRRPv2 packet with seven addresses (44 bytes, byte 3 = 7) as VRRP, not CARP', () => {
    const addrs = Array.from({ length: 7 }, (_, i) => `10.0.0.${i + 1}`);
    expect(decodeFrame(228, ipv4(112, encodeVrrp2({ vrid: 54, priority: 100, intervalSec: 1, addresses: addrs })))?.ha?.kind).toBe('vrrp2');
  });

  it('reports a payload that fits neither rule as unknown-112', () => {
    const bad = carp.slice();
    bad[3] = 6;
    const d = decodeFrame(228, ipv4(112, bad))!;
    expect(d.problem?.code).toBe('unknown-112');
    expect(d.problem?.message).toMatch(/payload of 36 bytes is neither CARP/);
    expect(decodeFrame(228, ipv4(112, concatBytes([carp, new Uint8Array(4)]))))!.toMatchObject({ problem: { code: 'unknown-112' } });
  });

  it('reports a CARP checksum failure in the decoded advertisement', () => {
    const bad = carp.slice();
    bad[10] ^= 1;
    const ha = decodeFrame(228, ipv4(112, bad))?.ha as CarpAdvert;
    expect(ha.checksumOk).toBe(false);
    expect(ha.counter).toBe(42n ^ (1n << 40n));
  });
});

describe('pfsync', () => {
  const recs = (n: number, size: number, fill?: (r: Uint8Array, i: number) => void) => {
    const b = new Uint8Array(n * size);
    if (fill) for (let i = 0; i < n; i++) fill(b.subarray(i * size, (i + 1) * size), i);
    return b;
  };
  const bus = (status: number) => recs(1, 12, (r) => (r[8] = status));

  it('counts FreeBSD v5 inserts, updates, deletes, bulk status and stops at EOF', () => {
    const p = encodePfsync(5, [
      { action: 13, count: 2, recordSize: 277 },
      { action: 4, count: 3, recordSize: 84 },
      { action: 14, count: 1, recordSize: 277 },
      { action: 7, count: 4, recordSize: 12 },
      { action: 6, count: 1, recordSize: 242 },
      { action: 10, count: 1, recordSize: 12, records: bus(1) },
      { action: 5, count: 1, recordSize: 12 },
      { action: 12, count: 0, recordSize: 0 },
      { action: 13, count: 9, recordSize: 0 },
    ]);
    const ha = decodeFrame(228, ipv4(240, p, { dst: '224.0.0.240' }))?.ha as PfsyncPacket;
    expect(ha).toEqual({ kind: 'pfsync', version: 5, inserted: 2, updated: 4, deleted: 5, bulkStart: true, bulkEnd: false, bulkRequest: true, clear: false });
  });

  it('counts OpenBSD v6 records using the per-record length, including unknown actions', () => {
    const p = encodePfsync(6, [
      { action: 13, count: 1, recordSize: 264 },
      { action: 14, count: 2, recordSize: 264 },
      { action: 99, count: 2, recordSize: 8 },
      { action: 7, count: 3, recordSize: 12 },
      { action: 0, count: 1, recordSize: 20 },
      { action: 10, count: 1, recordSize: 12, records: bus(2) },
    ]);
    const ha = decodeFrame(228, ipv4(240, p))?.ha as PfsyncPacket;
    expect(ha).toEqual({ kind: 'pfsync', version: 6, inserted: 1, updated: 2, deleted: 3, bulkStart: false, bulkEnd: true, bulkRequest: false, clear: true });
  });

  it('stops at an unknown FreeBSD action and says the counts are partial', () => {
    const p = encodePfsync(5, [{ action: 7, count: 2, recordSize: 12 }, { action: 9, count: 1, recordSize: 10 }]);
    const ha = decodeFrame(228, ipv4(240, p))?.ha as PfsyncPacket;
    expect(ha.deleted).toBe(2);
    expect(ha.problem).toMatch(/unknown FreeBSD pfsync action 9/);
  });

  it('reads the single action of legacy version 2/3 headers and rejects unknown versions', () => {
    const legacy = concatBytes([Uint8Array.of(3, 2, 1, 5), new Uint8Array(16)]);
    expect(decodeFrame(228, ipv4(240, legacy))?.ha).toMatchObject({ version: 3, inserted: 5 });
    const d = decodeFrame(228, ipv4(240, concatBytes([Uint8Array.of(9, 0, 0, 20), new Uint8Array(16)])))!;
    expect(d.problem?.message).toMatch(/pfsync version 9 is unknown/);
  });
});

describe('conntrackd', () => {
  const udp = (dport: number, body: Uint8Array) => concatBytes([u16(40000), u16(dport), u16(8 + body.length), u16(0), body]);

  it('decodes several messages per datagram to UDP 3780', () => {
    const body = encodeConntrackd([
      { type: 0, seq: 1_700_000_000, body: new Uint8Array(24) },
      { type: 1, seq: 1_700_000_001, body: new Uint8Array(8) },
      { type: 10, flags: 0x08, seq: 7, body: new Uint8Array(8) },
    ]);
    const ha = decodeFrame(228, ipv4(17, udp(3780, body), { dst: '225.0.0.50', ttl: 1 }))?.ha as ConntrackdPacket;
    expect(ha.kind).toBe('conntrackd');
    expect(ha.messages).toEqual([
      { type: 0, typeName: 'CT_NEW', flags: 0, seq: 1_700_000_000, len: 32 },
      { type: 1, typeName: 'CT_UPD', flags: 0, seq: 1_700_000_001, len: 16 },
      { type: 10, typeName: 'CTL', flags: 8, seq: 7, len: 16 },
    ]);
  });

  it('ignores other services on the port and other ports, and reports messages that do not tile the datagram', () => {
    const body = encodeConntrackd([{ type: 2, seq: 5 }]);
    expect(decodeFrame(228, ipv4(17, udp(3781, body)))).toBeNull();
    expect(decodeFrame(228, ipv4(17, udp(3780, Uint8Array.of(0x47, 0, 0, 8, 0, 0, 0, 0))))).toBeNull();
    expect(decodeFrame(228, ipv4(17, udp(3781, body)), { conntrackdPorts: [3781] })?.ha?.kind).toBe('conntrackd');
    const bad = concatBytes([body, Uint8Array.of(1, 2, 3)]);
    expect(decodeFrame(228, ipv4(17, udp(3780, bad)))?.problem?.code).toBe('malformed');
  });
});

describe('address claims', () => {
  it('turns a gratuitous ARP into a garp claim', () => {
    expect(decodeFrame(1, buildGratuitousArp('02:00:00:00:00:01', '10.0.1.1'))?.claim).toEqual({ kind: 'garp', address: '10.0.1.1', mac: '02:00:00:00:00:01' });
  });

  it('turns an unsolicited NA into a claim with the target link-layer address', () => {
    const d = decodeFrame(1, buildUnsolicitedNa('00:00:5e:00:01:07', '2001:db8::10'))!;
    expect(d.claim).toEqual({ kind: 'unsolicited-na', address: '2001:db8::10', mac: '00:00:5e:00:01:07' });
  });

  it('ignores a solicited NA and one with a bad checksum', () => {
    const sol = buildUnsolicitedNa('00:00:5e:00:01:07', '2001:db8::10');
    sol[54 + 4] |= 0x40;
    const c = ((sol[56] << 8) | sol[57]) - 0x4000;
    sol[56] = (c >> 8) & 0xff;
    sol[57] = c & 0xff;
    expect(checksumVerifies(sol, 54, sol.length, pseudoHeaderSum(sol.subarray(22, 38), sol.subarray(38, 54), 58, 32))).toBe(true);
    expect(decodeFrame(1, sol)).toBeNull();
    const bad = buildUnsolicitedNa('00:00:5e:00:01:07', '2001:db8::10');
    bad[54 + 10] ^= 1;
    expect(decodeFrame(1, bad)).toBeNull();
  });
});
