// Fixed-argv commands on a node, as root, that must succeed; failures become DeployErrors with the remote stderr.
import type { RootSession } from '../ssh/privilege.js';
import type { ExecResult } from '../ssh/session.js';
import { DeployError } from './errors.js';

export async function must(session: RootSession, argv: readonly string[], what: string, input?: string): Promise<ExecResult> {
  const r = await session.exec(argv, input);
  if (r.code !== 0) throw new DeployError('remote-failed', `${session.label}: ${what} failed (${argv.join(' ')} exited ${r.code ?? r.signal}): ${(r.stderr || r.stdout).trim()}`, session.label);
  return r;
}

/** `sha256sum` of remote files: path -> hex digest (missing files are absent). */
export async function remoteHashes(session: RootSession, paths: readonly string[]): Promise<Map<string, string>> {
  const r = await session.exec(['sha256sum', '--', ...paths]);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m) out.set(m[2], m[1]);
  }
  return out;
}
