import { createPrivateKey, X509Certificate } from 'node:crypto';
import { dirname } from 'node:path';
import { fail, messageOf, ok, type Result } from './errors.js';
import type { Exec } from './exec.js';
import { describeFailure } from './exec.js';
import type { SyncFs } from './fsops.js';

export interface Identity {
  key: Buffer;
  cert: Buffer;
  /** SHA-256 fingerprint as openssl and Node print it: "AB:CD:…". */
  fingerprint: string;
}

/** The SHA-256 fingerprint of a PEM certificate, or null when it is not one. */
export function fingerprintOf(pem: Buffer | string): string | null {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return null;
  }
}

/** Loads this node's key and self-signed certificate, creating them with openssl (EC P-256, 10 years) when missing. */
export async function ensureIdentity(fs: SyncFs, exec: Exec, node: string, keyPath: string, certPath: string): Promise<Result<Identity>> {
  let key = await fs.read(keyPath);
  let cert = await fs.read(certPath);
  if (!key && !cert) {
    await fs.mkdirs(dirname(keyPath));
    await fs.mkdirs(dirname(certPath));
    const argv = ['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '3650', '-subj', `/CN=carpdeck-${node.replace(/[^\w.-]/g, '_')}`];
    const r = await exec(argv, 30_000);
    if (r.code !== 0) return fail('IDENTITY', `could not create this node's sync certificate: ${describeFailure(argv, r)}`, certPath);
    key = await fs.read(keyPath);
    cert = await fs.read(certPath);
  }
  if (!key || !cert) return fail('IDENTITY', `only one of ${keyPath} and ${certPath} exists; restore the other or remove both to make a new pair (then re-pin it on the peer)`, key ? certPath : keyPath);
  const fingerprint = fingerprintOf(cert);
  if (!fingerprint) return fail('IDENTITY', `${certPath} is not a PEM certificate; remove it and ${keyPath} to make a new pair`, certPath);
  try {
    new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
  } catch (e) {
    return fail('IDENTITY', `${keyPath} is not the key of ${certPath} (${messageOf(e)}); remove both to make a new pair`, keyPath);
  }
  return ok({ key, cert, fingerprint });
}
