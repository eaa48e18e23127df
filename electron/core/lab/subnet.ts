// The management link's /24: private (RFC 6598 shared space, then 172.31/16) and clear of every network the host
// already has a route or an address in.

export interface Cidr {
  base: number;
  bits: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const addr = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (addr & mask) >>> 0, bits };
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const bits = Math.min(a.bits, b.bits);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((a.base & mask) >>> 0) === ((b.base & mask) >>> 0);
}

export function formatAddress(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const candidates = (): string[] => [
  ...Array.from({ length: 56 }, (_, i) => `100.64.${200 + i}.0/24`),
  ...Array.from({ length: 56 }, (_, i) => `172.31.${200 + i}.0/24`),
];

/** The first candidate /24 that overlaps none of `used` (routes and interface networks, IPv4 only; "default" ignored). */
export function pickManagementSubnet(used: readonly string[]): string | undefined {
  const taken = used.map(parseCidr).filter((c): c is Cidr => c !== undefined && c.bits > 0);
  return candidates().find((c) => {
    const cidr = parseCidr(c) as Cidr;
    return !taken.some((t) => overlaps(t, cidr));
  });
}
