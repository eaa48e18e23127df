import { describe, expect, it } from 'vitest';
import { guessVendor } from '../../../shared/discovery/vendor.js';

const carp = (srcMac: string | null, tos: number, ipId: number | null = 0x1234) => guessVendor({ kind: 'carp', srcMac, tos, ipId }).id;
const vrrp = (srcMac: string | null, tos: number) => guessVendor({ kind: 'vrrp3', srcMac, tos, ipId: null }).id;

describe('vendor guess from MAC and TOS', () => {
  it('tells the CARP implementations apart by their source MAC and TOS', () => {
    expect(carp('00:00:5e:00:00:0b', 0x10)).toBe('ucarp');
    expect(carp('01:00:5e:00:01:05', 0x10)).toBe('openbsd');
    expect(carp('00:00:5e:00:01:05', 0xe0)).toBe('freebsd');
    expect(carp('00:00:5e:00:01:05', 0x10)).toBe('bsd-kernel');
    expect(carp('00:00:5e:00:01:05', 0x10, 0)).toBe('carpd');
    expect(carp('02:11:22:33:44:55', 0x10, 0)).toBe('carpd');
    expect(carp('02:11:22:33:44:55', 0x00)).toBe('unknown');
  });

  it('says keepalived for VRRP with TOS 0xc0 from the real MAC, and a virtual-MAC router otherwise', () => {
    expect(vrrp('be:66:f8:8f:53:b2', 0xc0)).toBe('keepalived');
    expect(vrrp('00:00:5e:00:01:14', 0xc0)).toBe('vrrp-vmac');
    expect(vrrp('00:00:5e:00:02:14', 0xc0)).toBe('vrrp-vmac');
    expect(vrrp('be:66:f8:8f:53:b2', 0x00)).toBe('unknown');
  });

  it('says what the guess rests on', () => {
    expect(guessVendor({ kind: 'carp', srcMac: '00:00:5E:00:00:0B', tos: 0x10, ipId: 7 })).toEqual({ id: 'ucarp', label: 'ucarp', basis: 'source MAC 00:00:5e:00:00:0b, TOS 0x10' });
  });
});
