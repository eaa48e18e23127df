import { describe, expect, it } from 'vitest';
import { compareBytes, formatIpv4, formatIpv6, formatMac, parseIpv4, parseIpv6, parseMac, toHex } from '../../../shared/util/addr.js';

describe('address text and bytes', () => {
  it('parses and formats IPv4, rejecting malformed text', () => {
    expect(Array.from(parseIpv4('192.0.2.10')!)).toEqual([192, 0, 2, 10]);
    expect(formatIpv4(Uint8Array.of(10, 77, 1, 100))).toBe('10.77.1.100');
    for (const bad of ['1.2.3', '1.2.3.256', '1.2.3.4.5', 'a.b.c.d', '1..2.3', ' 1.2.3.4', '']) expect(parseIpv4(bad)).toBeNull();
  });

  it('formats IPv6 the RFC 5952 way', () => {
    const cases: [string, string][] = [
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['0:0:0:0:0:0:0:0', '::'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['fe80:0:0:0:d6ca:6dff:fe66:cf60', 'fe80::d6ca:6dff:fe66:cf60'],
      ['FF02::12', 'ff02::12'],
      ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
      ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
      ['::ffff:c000:0201', '::ffff:192.0.2.1'],
      ['::1:ffff:c000:201', '::1:ffff:c000:201'],
      ['1::', '1::'],
    ];
    for (const [inp, out] of cases) expect(formatIpv6(parseIpv6(inp)!)).toBe(out);
  });

  it('rejects malformed IPv6 text', () => {
    for (const bad of ['1:2:3:4:5:6:7', '1::2::3', '12345::', ':1:2:3:4:5:6:7', 'g::1', '1:2:3:4:5:6:7:8:9', '1.2.3.4::', '']) {
      expect(parseIpv6(bad)).toBeNull();
    }
  });

  it('parses and formats MACs in lower case', () => {
    expect(formatMac(parseMac('00:00:5E:00:01:0A')!)).toBe('00:00:5e:00:01:0a');
    expect(toHex(parseMac('33-33-00-00-00-12')!)).toBe('333300000012');
    expect(parseMac('00:00:5e:00:01')).toBeNull();
  });

  it('orders bytes like memcmp', () => {
    expect(compareBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBeLessThan(0);
    expect(compareBytes(Uint8Array.of(2), Uint8Array.of(1, 9))).toBeGreaterThan(0);
    expect(compareBytes(Uint8Array.of(1), Uint8Array.of(1, 0))).toBeLessThan(0);
    expect(compareBytes(Uint8Array.of(7, 7), Uint8Array.of(7, 7))).toBe(0);
  });
});
