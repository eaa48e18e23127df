// The config sync certificates, made on this computer before anything is applied so each node's config can pin the
// other's fingerprint: EC P-256, self-signed, 10 years (as carpd makes its own, daemon/configsync/identity.ts). A
// pair paired before can keep the ones its nodes have (readIdentity): its carpd.json then stays the same.
import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNC_CERT, SYNC_KEY, type SyncIdentity } from './node-files.js';

export class IdentityError extends Error {
  readonly code = 'identity-failed';
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(message);
    this.name = 'IdentityError';
  }
}

export async function makeIdentity(node: string): Promise<SyncIdentity> {
  const dir = mkdtempSync(join(tmpdir(), 'carpdeck-pair-'));
  try {
    const key = join(dir, 'node.key');
    const cert = join(dir, 'node.crt');
    const argv = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '3650', '-subj', `/CN=carpdeck-${node.replace(/[^\w.-]/g, '_')}`];
    await new Promise<void>((resolve, reject) =>
      execFile('openssl', argv, { timeout: 30_000 }, (err, _out, stderr) =>
        err ? reject(new IdentityError(`cannot make the config sync certificate for ${node} with openssl (${(stderr || err.message).trim()}); install openssl on this computer`, 'openssl')) : resolve(),
      ),
    );
    const certText = readFileSync(cert, 'utf8');
    return { key: readFileSync(key, 'utf8'), cert: certText, fingerprint: new X509Certificate(certText).fingerprint256 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The config sync identity a node has now (from an earlier pairing), or undefined when it has none, or its key does
 * not belong to its certificate, or the certificate has expired. `session` must read /etc/carpd as root.
 */
export async function readIdentity(session: { exec(argv: readonly string[]): Promise<{ code: number | null; stdout: string }> }, now = Date.now()): Promise<SyncIdentity | undefined> {
  const [cert, key] = await Promise.all([SYNC_CERT, SYNC_KEY].map((p) => session.exec(['cat', '--', p])));
  if (cert.code !== 0 || key.code !== 0) return undefined;
  try {
    const x509 = new X509Certificate(cert.stdout);
    if (!x509.checkPrivateKey(createPrivateKey(key.stdout)) || Date.parse(x509.validTo) <= now) return undefined;
    return { key: key.stdout, cert: cert.stdout, fingerprint: x509.fingerprint256 };
  } catch {
    return undefined;
  }
}
