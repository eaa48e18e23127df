/** Telling CARP from VRRP on IP protocol 112 (carp-wire.md §6). */

export type Ip112Kind = 'carp' | 'vrrp2' | 'vrrp3';

/**
 * Classifies an IP-112 payload from its first byte, its fourth byte and its length L as declared by the IP
 * header: version 3 → VRRPv3; version 2, type 1, L = 36 and byte 3 = 7 → CARP; version 2, type 1 and
 * L = 16 + 4·byte3 → VRRPv2; anything else → null (neither).
 */
export function classifyIp112(byte0: number, byte3: number, length: number): Ip112Kind | null {
  const version = byte0 >> 4;
  if (version === 3) return 'vrrp3';
  if (version !== 2 || (byte0 & 0x0f) !== 1) return null;
  if (length === 36 && byte3 === 7) return 'carp';
  if (length === 16 + 4 * byte3) return 'vrrp2';
  return null;
}
