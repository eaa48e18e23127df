import { parseIp } from '../../shared/util/addr.js';
import { verifyCarpHmac } from '../../shared/protocol/carp-hmac.js';
import { parseVip } from '../config/schema.js';
import type { VhidConfig } from '../config/schema.js';
import type { CoreState, ReceivedPacket, RejectReason } from './types.js';

export type Verdict = { ok: true; index: number } | { ok: false; reason: RejectReason; index?: number };

/** The VIP addresses (no prefix) a vhid authenticates, as the HMAC hashes them. */
export function vipAddresses(c: VhidConfig): string[] {
  return c.vips.map((v) => parseVip(v)?.address ?? v);
}

function hasFamily(c: VhidConfig, family: 4 | 6): boolean {
  if (c.mode === 'unicast' && c.peer !== undefined) return (parseIp(c.peer)?.length === 4 ? 4 : 6) === family;
  return c.vips.some((v) => parseVip(v)?.family === family);
}

/**
 * Input validation in the BSD order (carp-wire.md §1.6): own packet, TTL/hop limit 255 (multicast mode only, as
 * FreeBSD), checksum, vhid with an address of the packet's family on this interface, version 2, HMAC.
 * Short payloads never get here: the decoder reports them and the shell feeds a 'malformed' input.
 */
export function validatePacket(s: CoreState, p: ReceivedPacket): Verdict {
  const found = s.vhids.findIndex((v) => v.config.interface === p.iface && v.config.vhid === p.carp.vhid && hasFamily(v.config, p.ip.family));
  const index = found >= 0 ? found : undefined;
  const info = s.interfaces[p.iface];
  if (info && (info.addresses.includes(p.ip.src) || (p.srcMac !== undefined && p.srcMac === info.mac))) {
    return { ok: false, reason: 'own-packet', index };
  }
  const v = index === undefined ? undefined : s.vhids[index];
  if ((v === undefined || v.config.mode === 'multicast') && p.ip.ttl !== 255) return { ok: false, reason: 'bad-ttl', index };
  if (!p.carp.checksumOk) return { ok: false, reason: 'bad-checksum', index };
  if (v === undefined) return { ok: false, reason: 'unknown-vhid' };
  if (p.carp.version !== 2) return { ok: false, reason: 'bad-version', index };
  if (!verifyCarpHmac(v.config.password, v.config.vhid, vipAddresses(v.config), p.carp.counter, p.carp.hmac)) {
    return { ok: false, reason: 'bad-auth', index };
  }
  return { ok: true, index: found };
}
