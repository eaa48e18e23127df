// CARP passwords: random, letters and digits only (nothing a shell, JSON or the config sync's whole-token
// placeholders could trip over), 16 bytes: within the 19-byte key CARP, ucarp and carpd use.
import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const PASSWORD_BYTES = 16;

export function randomPassword(length = PASSWORD_BYTES): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export const byteLength = (s: string): number => new TextEncoder().encode(s).length;

/** How a password appears in reports and logs: never its value. */
export const redacted = (s: string): string => `set (${byteLength(s)} bytes)`;
