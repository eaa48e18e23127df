// Host key fingerprints exactly as OpenSSH prints them (`ssh-keygen -lf`, the "key fingerprint is" line).
import { createHash } from 'node:crypto';

/** `SHA256:` + unpadded base64 of the SHA-256 of the public key blob (the wire encoding, not the text line). */
export function fingerprintOf(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key blob of an OpenSSH public key line (`ssh-ed25519 AAAA... comment`), or undefined if it is not one. */
export function keyBlobOfLine(line: string): { type: string; blob: Buffer } | undefined {
  const [type, b64] = line.trim().split(/\s+/);
  if (!type || !b64 || !/^[A-Za-z0-9+/]+=*$/.test(b64)) return undefined;
  const blob = Buffer.from(b64, 'base64');
  // The blob starts with its own type as an SSH string (uint32 length + name), which must match the line's.
  if (blob.length < 4 + type.length || blob.readUInt32BE(0) !== type.length || blob.toString('latin1', 4, 4 + type.length) !== type) return undefined;
  return { type, blob };
}

/** Whether text is a SHA256 fingerprint as OpenSSH prints it (SHA256: + 43 base64 characters). */
export function isSha256Fingerprint(text: string): boolean {
  return /^SHA256:[A-Za-z0-9+/]{43}$/.test(text);
}
