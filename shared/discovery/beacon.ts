/**
 * The carpd beacon: a small UDP datagram each carpd node sends every few seconds (and at every state change) on
 * each vhid interface, so live discovery lists backups, which never advertise. Why not mDNS: TXT records have no
 * place for a signature, and answering mDNS means coexisting with avahi on the firewall; one fixed group and port
 * keeps the capture filter to a single rule. The IPv4 group is administratively scoped (RFC 2365) and sent with
 * TTL 1, so it never leaves the segment; the IPv6 group is link-local scoped (ff02::/16, RFC 4291), sent from the
 * link-local address with hop limit 1, so IPv6-only segments see the nodes too. Its group ID spells the magic.
 * Layout (big-endian), see daemon/beacon/README.md:
 *
 *   0  4  magic "CDBK"        4  1  format version (1)    5  1  flags (0)
 *   6  2  SSH port            8  4  sequence number (per sender, wraps)
 *   12 .. name, carpd version, management address: each a length byte and UTF-8 (empty address = not given)
 *   .. 1  vhid count, then per vhid: vhid, role (0 init, 1 backup, 2 master, 3 disabled)
 *   .. 1  tag count, then per tag: vhid and HMAC-SHA256 over every byte before the tag count, keyed with
 *         SHA-256("carpdeck-beacon-v1" + that vhid's CARP password)
 */
import { hmacSha256, sha256 } from '../util/sha256.js';
import { utf8Encode } from '../util/utf8.js';
import { bytesEqual } from '../util/addr.js';
import type { CarpSecret } from '../analysis/types.js';

export const BEACON_GROUP = '239.255.67.68';
export const BEACON_GROUP6 = 'ff02::4344:424b';
export const BEACON_PORT = 6768;
export const BEACON_VERSION = 1;
const MAGIC = [0x43, 0x44, 0x42, 0x4b];
const TAG_LEN = 32;
/** Tags beyond this many vhids are left out (the datagram stays well under one Ethernet MTU). */
export const MAX_TAGS = 32;
const KEY_LABEL = utf8Encode('carpdeck-beacon-v1');

export type BeaconRole = 'init' | 'backup' | 'master' | 'disabled';
const ROLES: BeaconRole[] = ['init', 'backup', 'master', 'disabled'];

export interface Beacon {
  name: string;
  version: string;
  sshPort: number;
  seq: number;
  managementAddress?: string;
  vhids: { vhid: number; role: BeaconRole }[];
}

export interface DecodedBeacon {
  beacon: Beacon;
  /** The bytes the tags sign. */
  signed: Uint8Array;
  tags: { vhid: number; hmac: Uint8Array }[];
}

export type BeaconErrorCode = 'not-a-beacon' | 'unsupported-version' | 'truncated' | 'malformed';

export interface BeaconError {
  code: BeaconErrorCode;
  message: string;
  /** Byte offset where decoding stopped. */
  where: number;
}

export type BeaconDecode = { ok: true; value: DecodedBeacon } | { ok: false; error: BeaconError };

/** The HMAC key for one vhid's password (a CARP password is never used as a key directly). */
export function beaconKey(password: string): Uint8Array {
  return sha256(KEY_LABEL, utf8Encode(password));
}

/** Encodes a beacon, signed once per vhid in `passwords` (vhids without a password go unsigned). */
export function encodeBeacon(b: Beacon, passwords: ReadonlyMap<number, string>): Uint8Array {
  const out: number[] = [...MAGIC, BEACON_VERSION, 0, (b.sshPort >> 8) & 0xff, b.sshPort & 0xff];
  const seq = b.seq >>> 0;
  out.push(seq >>> 24, (seq >>> 16) & 0xff, (seq >>> 8) & 0xff, seq & 0xff);
  for (const s of [b.name, b.version, b.managementAddress ?? '']) {
    const bytes = truncateUtf8(utf8Encode(s), 255);
    out.push(bytes.length, ...bytes);
  }
  const vhids = b.vhids.slice(0, 255);
  out.push(vhids.length);
  for (const v of vhids) out.push(v.vhid & 0xff, ROLES.indexOf(v.role));
  const signed = Uint8Array.from(out);
  const tagged = vhids.filter((v) => passwords.get(v.vhid)).slice(0, MAX_TAGS);
  const result = new Uint8Array(signed.length + 1 + tagged.length * (1 + TAG_LEN));
  result.set(signed);
  let off = signed.length;
  result[off++] = tagged.length;
  for (const v of tagged) {
    result[off++] = v.vhid;
    result.set(hmacSha256(beaconKey(passwords.get(v.vhid) ?? ''), signed), off);
    off += TAG_LEN;
  }
  return result;
}

/** Decodes a beacon datagram's payload; never throws. */
export function decodeBeacon(p: Uint8Array): BeaconDecode {
  const fail = (code: BeaconErrorCode, message: string, where: number): BeaconDecode => ({ ok: false, error: { code, message, where } });
  if (p.length < 4 || MAGIC.some((m, i) => p[i] !== m)) return fail('not-a-beacon', `UDP port ${BEACON_PORT} payload does not start with "CDBK"; it is not a carpd beacon`, 0);
  if (p.length < 13) return fail('truncated', `carpd beacon cut to ${p.length} bytes (the fixed header alone is 12)`, p.length);
  if (p[4] !== BEACON_VERSION) return fail('unsupported-version', `carpd beacon format ${p[4]} is not ${BEACON_VERSION}; update CarpDeck to read beacons of newer carpd versions`, 4);
  const sshPort = (p[6] << 8) | p[7];
  const seq = ((p[8] << 24) | (p[9] << 16) | (p[10] << 8) | p[11]) >>> 0;
  let off = 12;
  const strings: string[] = [];
  for (const what of ['node name', 'carpd version', 'management address']) {
    const len = p[off];
    if (len === undefined || off + 1 + len > p.length) return fail('truncated', `carpd beacon ends inside its ${what}`, off);
    const s = utf8Decode(p.subarray(off + 1, off + 1 + len));
    if (s === null) return fail('malformed', `carpd beacon's ${what} is not valid UTF-8`, off + 1);
    strings.push(s);
    off += 1 + len;
  }
  if (strings[0] === '') return fail('malformed', 'carpd beacon has an empty node name', 13);
  const count = p[off];
  if (count === undefined || off + 1 + count * 2 > p.length) return fail('truncated', 'carpd beacon ends inside its vhid list', off);
  off++;
  const vhids: Beacon['vhids'] = [];
  for (let i = 0; i < count; i++, off += 2) {
    const role = ROLES[p[off + 1]];
    if (p[off] === 0 || role === undefined) return fail('malformed', `carpd beacon lists vhid ${p[off]} with role code ${p[off + 1]} (vhids are 1..255, roles 0..3)`, off);
    vhids.push({ vhid: p[off], role });
  }
  const signed = p.slice(0, off);
  const tagCount = p[off];
  if (tagCount === undefined || off + 1 + tagCount * (1 + TAG_LEN) > p.length) return fail('truncated', 'carpd beacon ends inside its signatures', off);
  off++;
  const tags: DecodedBeacon['tags'] = [];
  for (let i = 0; i < tagCount; i++, off += 1 + TAG_LEN) tags.push({ vhid: p[off], hmac: p.slice(off + 1, off + 1 + TAG_LEN) });
  if (off !== p.length) return fail('malformed', `carpd beacon has ${p.length - off} bytes after its signatures`, off);
  const beacon: Beacon = { name: strings[0], version: strings[1], sshPort, seq, vhids };
  if (strings[2]) beacon.managementAddress = strings[2];
  return { ok: true, value: { beacon, signed, tags } };
}

/**
 * Whether a tag verifies with one of the passwords the user gave: only a listener that knows a vhid's password
 * can tell a genuine beacon from a forged or altered one.
 */
export function verifyBeacon(d: DecodedBeacon, secrets: readonly CarpSecret[]): boolean {
  for (const tag of d.tags) {
    for (const s of secrets) {
      if (s.vhid === tag.vhid && bytesEqual(hmacSha256(beaconKey(s.password), d.signed), tag.hmac)) return true;
    }
  }
  return false;
}

function truncateUtf8(b: Uint8Array, max: number): Uint8Array {
  if (b.length <= max) return b;
  let end = max;
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
  return b.subarray(0, end);
}

/** Strict UTF-8 decoding (TextDecoder is not in this zone's library); null on invalid input. */
function utf8Decode(b: Uint8Array): string | null {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (n < 0 || i + n >= b.length) return null;
    let cp = n === 0 ? c : c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if ((cc & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((n === 2 && cp < 0x800) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}
