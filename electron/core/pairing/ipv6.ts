// The IPv6 arithmetic the plan needs to check a VIP a person gives: an address with its prefix, the prefix's
// network, whether another address is inside it.
import { formatIpv6, parseIpv6 } from '../../../shared/util/addr.js';

export interface V6Net {
  address: Uint8Array;
  bits: number;
}

/** `2001:db8:1::1/64` (the prefix length is required; a `%zone` is refused). */
export function parseV6Cidr(text: string): V6Net | undefined {
  const m = /^([0-9A-Fa-f:.]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m || !m[1].includes(':')) return undefined;
  const address = parseIpv6(m[1]);
  const bits = Number(m[2]);
  return address && bits <= 128 ? { address, bits } : undefined;
}

/** The first `bits` bits of `address`, the rest zero. */
function base(address: Uint8Array, bits: number): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    out[i] = address[i] & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}

export const sameV6 = (a: Uint8Array, b: Uint8Array): boolean => a.every((x, i) => x === b[i]);
export const v6Contains = (net: V6Net, address: Uint8Array): boolean => sameV6(base(net.address, net.bits), base(address, net.bits));
export const v6NetworkText = (net: V6Net): string => `${formatIpv6(base(net.address, net.bits))}/${net.bits}`;
export const v6Text = (address: Uint8Array): string => formatIpv6(address);

/** The prefix's subnet-router anycast address (all host bits zero), which no host may take. */
export const isSubnetRouterAnycast = (net: V6Net): boolean => net.bits < 127 && sameV6(base(net.address, net.bits), net.address);

/** Addresses a VIP cannot be: unspecified, loopback, multicast (ff00::/8), link-local (fe80::/10), IPv4-mapped. */
export function v6Kind(address: Uint8Array): 'unspecified' | 'loopback' | 'multicast' | 'link-local' | 'IPv4-mapped' | undefined {
  if (address.every((x) => x === 0)) return 'unspecified';
  if (address.slice(0, 15).every((x) => x === 0) && address[15] === 1) return 'loopback';
  if (address[0] === 0xff) return 'multicast';
  if (address[0] === 0xfe && (address[1] & 0xc0) === 0x80) return 'link-local';
  if (address.slice(0, 10).every((x) => x === 0) && address[10] === 0xff && address[11] === 0xff) return 'IPv4-mapped';
  return undefined;
}
