// The CARP HMAC a ucarp node computes (carp-wire.md §1.5), built with node:crypto independently of shared/:
// HMAC-SHA1 keyed with the password's first 19 bytes over 02 01 vhid VIP counter, ucarp having exactly one VIP.
import { createHmac } from 'node:crypto';

export function ucarpHmac(password: string, vhid: number, vip: string, counter: string): string {
  const message = Buffer.alloc(3 + 4 + 8);
  message.writeUInt8(2, 0);
  message.writeUInt8(1, 1);
  message.writeUInt8(vhid, 2);
  vip.split('.').forEach((octet, i) => message.writeUInt8(Number(octet), 3 + i));
  message.writeBigUInt64BE(BigInt(counter), 7);
  const key = Buffer.from(password, 'utf8').subarray(0, 19);
  return createHmac('sha1', key).update(message).digest('hex');
}
