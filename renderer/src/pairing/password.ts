// Strong random VIP passwords that fit CARP's and ucarp's key limit (at most 19 bytes; ASCII so bytes = characters).
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
export const PASSWORD_LENGTH = 19;

export function randomPassword(length = PASSWORD_LENGTH): string {
  const out: string[] = [];
  const bytes = new Uint8Array(1);
  // rejection sampling keeps every character equally likely
  const limit = 256 - (256 % ALPHABET.length);
  while (out.length < length) {
    crypto.getRandomValues(bytes);
    if (bytes[0] < limit) out.push(ALPHABET[bytes[0] % ALPHABET.length]);
  }
  return out.join('');
}

/** Bytes of a password as UTF-8 (the limit is in bytes, not characters). */
export function passwordBytes(password: string): number {
  return new TextEncoder().encode(password).length;
}
