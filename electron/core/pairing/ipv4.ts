// The IPv4 arithmetic the plan needs: an interface address with its prefix, its network, its usable host range.

export interface V4Net {
  address: number;
  bits: number;
  base: number;
}

const mask = (bits: number): number => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);

export function parseV4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  return o.some((x) => x > 255) ? undefined : ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
}

/** `10.0.1.2/24` (a bare address is a /32). */
export function parseV4Cidr(text: string): V4Net | undefined {
  const [a, b, ...rest] = text.split('/');
  const address = parseV4(a);
  const bits = b === undefined ? 32 : /^\d{1,2}$/.test(b) ? Number(b) : NaN;
  if (rest.length > 0 || address === undefined || !(bits >= 0 && bits <= 32)) return undefined;
  return { address, bits, base: (address & mask(bits)) >>> 0 };
}

export const formatV4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
export const networkText = (n: V4Net): string => `${formatV4(n.base)}/${n.bits}`;
export const contains = (n: V4Net, address: number): boolean => ((address & mask(n.bits)) >>> 0) === n.base;

/** Host addresses, in order: all but network and broadcast (a /31 has its two, a /32 its one). */
export function hostAddresses(n: V4Net): number[] {
  const size = 2 ** (32 - n.bits);
  const first = n.bits >= 31 ? n.base : n.base + 1;
  const last = n.bits >= 31 ? n.base + size - 1 : n.base + size - 2;
  const out: number[] = [];
  for (let a = first; a <= last && out.length < 4096; a++) out.push(a >>> 0);
  return out;
}

export const usableCount = (bits: number): number => (bits >= 31 ? 33 - bits : 2 ** (32 - bits) - 2);
