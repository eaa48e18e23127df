// The headless mode's file sealer: a key derived from a passphrase with scrypt (random salt per file) and
// AES-256-GCM (random IV per write). The JSON header (KDF parameters, salt, IV) is authenticated as associated
// data, so a wrong passphrase and an altered file are both refused.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { CredentialError } from './store.js';
import type { Sealer } from './sealed-file.js';

const FORMAT = 'carpdeck-credentials/1';

interface Header {
  format: string;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
}

interface SealedFile extends Header {
  tag: string;
  data: string;
}

export interface PassphraseOptions {
  /** scrypt cost (power of two); 2^15 by default. */
  N?: number;
}

function derive(passphrase: string, salt: Buffer, h: Pick<Header, 'N' | 'r' | 'p'>): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase, salt, 32, { N: h.N, r: h.r, p: h.p, maxmem: 256 * h.N * h.r * h.p + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const aad = (h: Header) => Buffer.from(JSON.stringify([h.format, h.kdf, h.N, h.r, h.p, h.salt, h.iv]));

export function passphraseSealer(passphrase: string, options: PassphraseOptions = {}): Sealer {
  if (passphrase.length === 0) throw new CredentialError('no-passphrase', 'the credentials passphrase is empty; choose one (CARPDECK_CREDENTIALS_PASSPHRASE or the prompt)', 'passphrase');
  let current: { salt: Buffer; key: Buffer; N: number; r: number; p: number } | undefined;
  return {
    async seal(plain) {
      if (!current) {
        const salt = randomBytes(16);
        const params = { N: options.N ?? 2 ** 15, r: 8, p: 1 };
        current = { salt, key: await derive(passphrase, salt, params), ...params };
      }
      const iv = randomBytes(12);
      const header: Header = { format: FORMAT, kdf: 'scrypt', N: current.N, r: current.r, p: current.p, salt: current.salt.toString('base64'), iv: iv.toString('base64') };
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(aad(header));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const file: SealedFile = { ...header, tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
      return Buffer.from(`${JSON.stringify(file)}\n`);
    },

    async unseal(bytes, where) {
      let f: SealedFile;
      try {
        f = JSON.parse(Buffer.from(bytes).toString('utf8')) as SealedFile;
      } catch {
        throw new CredentialError('bad-file', `${where} is not a CarpDeck credentials file; move it away or name another file`, where);
      }
      if (f?.format !== FORMAT || f.kdf !== 'scrypt' || ![f.N, f.r, f.p].every(Number.isInteger) || typeof f.salt !== 'string' || typeof f.iv !== 'string') {
        throw new CredentialError('bad-file', `${where} is not a CarpDeck credentials file (format ${FORMAT}); move it away or name another file`, where);
      }
      const salt = Buffer.from(f.salt, 'base64');
      const key = await derive(passphrase, salt, f);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(f.iv, 'base64'));
        decipher.setAAD(aad(f));
        decipher.setAuthTag(Buffer.from(f.tag, 'base64'));
        const plain = Buffer.concat([decipher.update(Buffer.from(f.data, 'base64')), decipher.final()]).toString('utf8');
        current = { salt, key, N: f.N, r: f.r, p: f.p };
        return plain;
      } catch {
        throw new CredentialError('wrong-passphrase', `cannot open ${where}: wrong passphrase (or the file was altered). Give the passphrase it was created with, or move the file away to start a new one`, where);
      }
    },
  };
}
