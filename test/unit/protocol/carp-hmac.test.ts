import { describe, expect, it } from 'vitest';
import { carpHmac, carpHmacMessage, carpKey, CarpAddressError, verifyCarpHmac } from '../../../shared/protocol/carp-hmac.js';
import { fromHex, toHex } from '../../../shared/util/addr.js';

// carp-wire.md §1.5 test vectors: password, vhid, addresses, counter, expected message, expected HMAC.
const vectors = [
  { id: 'U1', pass: 'secret', vhid: 10, addrs: ['10.77.1.100'], counter: 'ec97aa5109cc7854', msg: '02010a0a4d0164ec97aa5109cc7854', hmac: 'a16d0e38bbd4c5f7ff22341d7d23d74050273912' },
  { id: 'U2', pass: 'bcastpw', vhid: 30, addrs: ['10.77.1.130'], counter: '6954e5b27beecc65', msg: '02011e0a4d01826954e5b27beecc65', hmac: '0e712c753116cb5c68491997b307e2abb6956d88' },
  { id: 'U3', pass: 'other20', vhid: 20, addrs: ['10.77.1.120'], counter: '909f066544289f7c', msg: '0201140a4d0178909f066544289f7c', hmac: '15edaaeda9841c891e7be4d78c910bba56a17bb7' },
  { id: 'B1', pass: 'freebsd-pass', vhid: 1, addrs: ['10.77.5.2', '10.77.5.1'], counter: '0000000100000001', msg: '0201010a4d05010a4d05020000000100000001', hmac: 'bcb80bc66c2d0b55080686eb12dfa07b57761bb5' },
  {
    id: 'B2', pass: 'v6pass', vhid: 2, addrs: ['2001:db8:77::2', '2001:db8:77::1'], counter: '00000002000000a0',
    msg: '020102' + '20010db8007700000000000000000001' + '20010db8007700000000000000000002' + '00000002000000a0',
    hmac: 'b4dac3755e7c009959975e787f5c7691ccf6b12e',
  },
  { id: 'B3', pass: 'openbsd', vhid: 3, addrs: ['10.77.6.1'], counter: 'deadbeefcafef00d', msg: '0201030a4d0601deadbeefcafef00d', hmac: '06c8fd566361dfd8ae171b147a6091096c00b5bc' },
  {
    id: 'B4', pass: 'mixed', vhid: 200, addrs: ['2001:db8::1', '192.0.2.10'], counter: '0000000000000000',
    msg: '0201c8' + 'c000020a' + '20010db8000000000000000000000001' + '0000000000000000',
    hmac: '0f5836392f293560b986bb2367dc152aa1024956',
  },
  { id: 'B5', pass: 'openbsd', vhid: 3, addrs: ['10.77.6.1'], counter: 'deadbeefcafef00d', lladdr: '020000000103', msg: '0201020000000103030a4d0601deadbeefcafef00d', hmac: '26d4944576eccb22f24cc19d92b3ee7ab4f02607' },
  { id: 'B6', pass: '', vhid: 1, addrs: ['10.0.0.1'], counter: '0000000000000000', msg: '0201010a0000010000000000000000', hmac: '56daeb41478402f07b8c237e44a4ed46217441b2' },
  { id: 'B7', pass: 'abcdefghijklmnopqrstuvwxy', vhid: 7, addrs: ['198.51.100.7'], counter: '0000000000000001', msg: '020107c63364070000000000000001', hmac: 'e86c62fdc70c7b5fa3524459c4c145ee041e427d' },
];

describe('CARP HMAC (BSD construction, carp-wire.md §1.5)', () => {
  for (const v of vectors) {
    const lladdr = v.lladdr ? fromHex(v.lladdr)! : undefined;
    const counter = BigInt('0x' + v.counter);
    it(`reproduces vector ${v.id}: message and digest`, () => {
      expect(toHex(carpHmacMessage(v.vhid, v.addrs, counter, lladdr))).toBe(v.msg);
      expect(toHex(carpHmac(v.pass, v.vhid, v.addrs, counter, lladdr))).toBe(v.hmac);
      expect(verifyCarpHmac(v.pass, v.vhid, v.addrs, counter, fromHex(v.hmac)!, lladdr)).toBe(true);
    });
  }

  it('rejects a digest computed with another password, vhid, address set or counter', () => {
    const good = fromHex('a16d0e38bbd4c5f7ff22341d7d23d74050273912')!;
    const c = 0xec97aa5109cc7854n;
    expect(verifyCarpHmac('secret', 10, ['10.77.1.100'], c, good)).toBe(true);
    expect(verifyCarpHmac('Secret', 10, ['10.77.1.100'], c, good)).toBe(false);
    expect(verifyCarpHmac('secret', 11, ['10.77.1.100'], c, good)).toBe(false);
    expect(verifyCarpHmac('secret', 10, ['10.77.1.101'], c, good)).toBe(false);
    expect(verifyCarpHmac('secret', 10, ['10.77.1.100', '10.77.1.101'], c, good)).toBe(false);
    expect(verifyCarpHmac('secret', 10, ['10.77.1.100'], c + 1n, good)).toBe(false);
    expect(verifyCarpHmac('secret', 10, ['10.77.1.100'], c, good.subarray(0, 19))).toBe(false);
  });

  it('hashes duplicate addresses once and accepts addresses as bytes', () => {
    const a = carpHmacMessage(1, ['10.77.5.2', '10.77.5.1', '10.77.5.2'], 1n);
    const b = carpHmacMessage(1, [Uint8Array.of(10, 77, 5, 1), Uint8Array.of(10, 77, 5, 2)], 1n);
    expect(toHex(a)).toBe(toHex(b));
  });

  it('uses at most 19 bytes of the password and stops at a NUL byte', () => {
    expect(carpKey('abcdefghijklmnopqrstuvwxy').length).toBe(19);
    expect(toHex(carpKey(Uint8Array.of(0x61, 0, 0x62)))).toBe('61');
    expect(toHex(carpKey('pässword'))).toBe('70c3a4737377 6f7264'.replace(' ', ''));
  });

  it('reports an address that does not parse as a typed error naming it', () => {
    expect(() => carpHmac('x', 1, ['10.0.0.300'], 0n)).toThrow(CarpAddressError);
    expect(() => carpHmac('x', 1, ['vip.example'], 0n)).toThrow(/"vip.example" is not an IPv4 or IPv6 address/);
  });
});
