// ssh2's readyTimeout runs until the login succeeds, so it also counts the time a person takes to compare a host
// key fingerprint or type a password. Interactive logins therefore get a long one (sshd's own LoginGraceTime is
// 120 s), and a plain TCP probe first makes an unreachable or silent host fail fast with a clear error.
import { createConnection } from 'node:net';
import { connectSsh, type ConnectOptions } from '../ssh/connect.js';
import { SshError } from '../ssh/errors.js';
import type { SshSession } from '../ssh/session.js';
import { targetLabel, type SshTarget } from '../ssh/target.js';

export function probeTcp(target: SshTarget, timeoutMs = 10_000): Promise<void> {
  const label = targetLabel(target);
  return new Promise((resolve, reject) => {
    const sock = createConnection({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new SshError('timeout', `${label} did not answer within ${timeoutMs / 1000} s: check the address and any firewall in between`, label));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve();
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const code = err.code ?? '';
      if (code === 'ECONNREFUSED') reject(new SshError('refused', `${label} refused the connection: no SSH server listens on port ${target.port} (is sshd running?)`, label));
      else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') reject(new SshError('unreachable', `${label}: no such host name`, label));
      else reject(new SshError('unreachable', `${label} is unreachable (${code || err.message}): check the address and that this machine has a route to it`, label));
    });
  });
}

export async function interactiveConnect(opts: ConnectOptions): Promise<SshSession> {
  await probeTcp(opts.target);
  return connectSsh({ readyTimeoutMs: 120_000, ...opts });
}
