import { compareBytes, parseIp } from '../util/addr.js';
import { hmacSha1 } from '../util/sha1.js';
import { utf8Encode } from '../util/utf8.js';

/** BSD `strlcpy(key, pass, 20)`: at most 19 bytes of the password are used (HMAC zero-pads the rest). */
export const CARP_KEY_MAX = 19;

export class CarpAddressError extends Error {
  readonly code = 'bad-address';
  constructor(readonly address: string) {
    super(`"${address}" is not an IPv4 or IPv6 address; list the vhid's virtual addresses, e.g. 10.0.1.1 or 2001:db8::1`);
    this.name = 'CarpAddressError';
  }
}

export function carpKey(password: string | Uint8Array): Uint8Array {
  const bytes = typeof password === 'string' ? utf8Encode(password) : password;
  const nul = bytes.indexOf(0);
  const end = Math.min(nul >= 0 ? nul : bytes.length, CARP_KEY_MAX);
  return bytes.slice(0, end);
}

/**
 * The authenticated message: 02 01 [lladdr] vhid, IPv4 addresses ascending, IPv6 addresses ascending (each
 * distinct address once), then the 8 counter bytes. Throws CarpAddressError for text that is not an address.
 */
export function carpHmacMessage(
  vhid: number,
  addresses: readonly (string | Uint8Array)[],
  counter: bigint,
  lladdr?: Uint8Array,
): Uint8Array {
  const v4: Uint8Array[] = [];
  const v6: Uint8Array[] = [];
  for (const a of addresses) {
    const b = typeof a === 'string' ? parseIp(a) : a;
    if (!b || (b.length !== 4 && b.length !== 16)) throw new CarpAddressError(typeof a === 'string' ? a : `${a.length}-byte value`);
    const list = b.length === 4 ? v4 : v6;
    if (!list.some((x) => compareBytes(x, b) === 0)) list.push(b);
  }
  v4.sort(compareBytes);
  v6.sort(compareBytes);
  const ll = lladdr ?? new Uint8Array(0);
  const msg = new Uint8Array(2 + ll.length + 1 + v4.length * 4 + v6.length * 16 + 8);
  let o = 0;
  msg[o++] = 2;
  msg[o++] = 1;
  msg.set(ll, o);
  o += ll.length;
  msg[o++] = vhid;
  for (const a of v4) {
    msg.set(a, o);
    o += 4;
  }
  for (const a of v6) {
    msg.set(a, o);
    o += 16;
  }
  new DataView(msg.buffer).setBigUint64(o, BigInt.asUintN(64, counter));
  return msg;
}

/** HMAC-SHA1 of a CARP advertisement, BSD construction (carp-wire.md §1.5). */
export function carpHmac(
  password: string | Uint8Array,
  vhid: number,
  addresses: readonly (string | Uint8Array)[],
  counter: bigint,
  lladdr?: Uint8Array,
): Uint8Array {
  return hmacSha1(carpKey(password), carpHmacMessage(vhid, addresses, counter, lladdr));
}

export function verifyCarpHmac(
  password: string | Uint8Array,
  vhid: number,
  addresses: readonly (string | Uint8Array)[],
  counter: bigint,
  hmac: Uint8Array,
  lladdr?: Uint8Array,
): boolean {
  const expected = carpHmac(password, vhid, addresses, counter, lladdr);
  if (hmac.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected[i] ^ hmac[i];
  return diff === 0;
}
