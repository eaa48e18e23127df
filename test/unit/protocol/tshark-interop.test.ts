import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePcap } from '../../../shared/capture/pcap-writer.js';
import { CaptureReader } from '../../../shared/capture/reader.js';
import { buildCarpFrame, buildEthernet, buildIpv4, buildIpv6 } from '../../../shared/protocol/build.js';
import { encodeCarp } from '../../../shared/protocol/carp.js';
import { carpHmac } from '../../../shared/protocol/carp-hmac.js';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import type { CarpAdvert, VrrpAdvert } from '../../../shared/protocol/types.js';
import { encodeVrrp2, encodeVrrp3 } from '../../../shared/protocol/vrrp.js';
import { toHex } from '../../../shared/util/addr.js';

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const TSHARK = hasTshark();
const dir = mkdtempSync(join(tmpdir(), 'carpdeck-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tsharkFields(file: string, decodeAs: string[], fields: string[]): string[][] {
  const out = execFileSync('tshark', ['-r', file, ...decodeAs, '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.trimEnd().split('\n').map((l) => l.split('|'));
}

function decodeFile(file: Uint8Array) {
  const r = new CaptureReader();
  r.push(file);
  const out = [];
  let f;
  while ((f = r.next()) !== null) out.push(decodeFrame(f.linkType, f.data));
  r.end();
  return out;
}

describe.skipIf(!TSHARK)('TShark agrees with our encoders and decoder (skipped when tshark is not installed)', () => {
  it('CARP over IPv4 and IPv6: vhid, advskew, advbase, demote, counter, HMAC and checksum', () => {
    const adverts = [
      { family: 4 as const, vhid: 1, advbase: 1, advskew: 0, demote: 0, counter: 0n },
      { family: 4 as const, vhid: 10, advbase: 1, advskew: 100, demote: 0, counter: 0xec97aa5109cc7854n },
      { family: 4 as const, vhid: 255, advbase: 255, advskew: 255, demote: 32, counter: 0xffffffffffffffffn },
      { family: 6 as const, vhid: 2, advbase: 3, advskew: 240, demote: 1, counter: 0x00000002000000a0n },
    ];
    const frames = adverts.map((a, i) => {
      const hmac = carpHmac('secret', a.vhid, a.family === 4 ? ['10.77.1.100'] : ['2001:db8:77::1'], a.counter);
      const carp = encodeCarp({ ...a, hmac });
      return { hmac, data: buildCarpFrame({ family: a.family, srcMac: `00:00:5e:00:01:0${i}`, src: a.family === 4 ? '10.77.1.1' : 'fe80::1', carp }) };
    });
    const file = writePcap({ linkType: 1 }, frames.map((f, i) => ({ tsSec: 1_700_000_000 + i, tsNsec: 0, data: f.data })));
    const path = join(dir, 'carp.pcap');
    writeFileSync(path, file);
    const rows = tsharkFields(path, ['-d', 'ip.proto==112,carp'], ['carp.version', 'carp.type', 'carp.vhid', 'carp.advskew', 'carp.authlen', 'carp.demotion', 'carp.adver_int', 'carp.counter', 'carp.hmac', 'carp.checksum.status']);
    const ours = decodeFile(file);
    expect(rows.length).toBe(adverts.length);
    rows.forEach((row, i) => {
      const a = adverts[i];
      const expected = ['2', '1', String(a.vhid), String(a.advskew), '7', String(a.demote), String(a.advbase), a.counter.toString(), toHex(frames[i].hmac), '1'];
      expect(row).toEqual(expected);
      const d = ours[i]?.ha as CarpAdvert;
      expect([String(d.version), String(d.type), String(d.vhid), String(d.advskew), String(d.authlen), String(d.demote), String(d.advbase), d.counter.toString(), toHex(d.hmac), d.checksumOk ? '1' : '0']).toEqual(row);
    });
  });

  it('VRRPv2 and VRRPv3 over IPv4 and IPv6: vrid, priority, interval, addresses and checksum', () => {
    const v2 = encodeVrrp2({ vrid: 42, priority: 191, intervalSec: 10, addresses: ['10.4.42.1', '10.4.42.2'], authType: 1, authText: 'abcdefgh' });
    const v3 = encodeVrrp3({ family: 4, vrid: 44, priority: 0, intervalCs: 250, addresses: ['10.4.44.100'], src: '10.0.0.91' });
    const v36 = encodeVrrp3({ family: 6, vrid: 45, priority: 150, intervalCs: 100, addresses: ['fe80::200:5eff:fe00:22d', '2001::abcd:a'], src: 'fe80::1' });
    const ip4 = (p: Uint8Array) => buildEthernet('01:00:5e:00:00:12', '00:00:5e:00:01:2a', 0x800, buildIpv4({ src: '10.0.0.91', dst: '224.0.0.18', ttl: 255, tos: 0xc0, protocol: 112 }, p));
    const ip6 = buildEthernet('33:33:00:00:00:12', '00:00:5e:00:02:2d', 0x86dd, buildIpv6({ src: 'fe80::1', dst: 'ff02::12', hopLimit: 255, nextHeader: 112 }, v36));
    const file = writePcap({ linkType: 1, nanosecond: true }, [ip4(v2), ip4(v3), ip6].map((data, i) => ({ tsSec: 1_700_000_000, tsNsec: i, data })));
    const path = join(dir, 'vrrp.pcap');
    writeFileSync(path, file);
    const rows = tsharkFields(path, [], ['vrrp.version', 'vrrp.virt_rtr_id', 'vrrp.prio', 'vrrp.addr_count', 'vrrp.adver_int', 'vrrp.short_adver_int', 'vrrp.ip_addr', 'vrrp.ipv6_addr', 'vrrp.checksum.status']);
    const ours = decodeFile(file).map((d) => d?.ha as VrrpAdvert);
    expect(rows.length).toBe(3);
    rows.forEach((row, i) => {
      const d = ours[i];
      const [version, vrid, prio, count, adv, shortAdv, ip4s, ip6s, ck] = row;
      expect(Number(version)).toBe(d.version);
      expect(Number(vrid)).toBe(d.vrid);
      expect(Number(prio)).toBe(d.priority);
      expect(Number(count)).toBe(d.countAddrs);
      expect(d.version === 2 ? Number(adv) * 100 : Number(shortAdv)).toBe(d.intervalCs);
      expect((ip4s || ip6s).split(',')).toEqual(d.addresses);
      expect(ck).toBe('1');
      expect(d.checksumOk).toBe(true);
    });
    expect(ours.map((d) => [d.kind, d.vrid, d.priority, d.intervalCs])).toEqual([
      ['vrrp2', 42, 191, 1000],
      ['vrrp3', 44, 0, 250],
      ['vrrp3', 45, 150, 100],
    ]);
  });
});
