// IPv4 networks as the preflight reasons about them: an address with its prefix, the network it is in, how many
// host addresses it has and whether two networks are the same or overlap.

export interface Ipv4Net {
  /** The address as written (an interface's own address, or the network's base). */
  address: number;
  bits: number;
  /** The network's first address. */
  base: number;
}

const maskOf = (bits: number): number => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);

export function parseIpv4Address(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const o = m.slice(1, 5).map(Number);
  if (o.some((x) => x > 255)) return undefined;
  return ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
}

/** `10.0.1.2/24` (a bare address is a /32); undefined when it is not IPv4 CIDR. */
export function parseIpv4Cidr(text: string): Ipv4Net | undefined {
  const [addr, len, ...rest] = text.trim().split('/');
  if (rest.length > 0) return undefined;
  const address = parseIpv4Address(addr);
  const bits = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : NaN;
  if (address === undefined || !(bits >= 0 && bits <= 32)) return undefined;
  return { address, bits, base: (address & maskOf(bits)) >>> 0 };
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The network in canonical form, e.g. `10.0.1.0/24`. */
export const networkOf = (net: Ipv4Net): string => `${formatIpv4(net.base)}/${net.bits}`;

/** Host addresses a network offers: /31 has 2 (RFC 3021), /32 one, otherwise all but network and broadcast. */
export function usableAddresses(bits: number): number {
  if (bits >= 31) return 33 - bits;
  return 2 ** (32 - bits) - 2;
}

/** First and last usable host address. */
export function usableRange(net: Ipv4Net): [string, string] {
  const size = 2 ** (32 - net.bits);
  if (net.bits >= 31) return [formatIpv4(net.base), formatIpv4(net.base + size - 1)];
  return [formatIpv4(net.base + 1), formatIpv4(net.base + size - 2)];
}

export function contains(net: Ipv4Net, address: number): boolean {
  return ((address & maskOf(net.bits)) >>> 0) === net.base;
}

export function overlaps(a: Ipv4Net, b: Ipv4Net): boolean {
  const mask = maskOf(Math.min(a.bits, b.bits));
  return ((a.base & mask) >>> 0) === ((b.base & mask) >>> 0);
}

export const sameNetwork = (a: Ipv4Net, b: Ipv4Net): boolean => a.bits === b.bits && a.base === b.base;

/** RFC 1918, RFC 6598 shared space and link-local: addresses that never face the Internet directly. */
export function isPrivate(address: number): boolean {
  const in_ = (cidr: string) => contains(parseIpv4Cidr(cidr)!, address);
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'].some(in_);
}
