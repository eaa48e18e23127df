// One SSH connection with ssh2: host key checked against the pinned store (trust on first use, a changed key is
// always refused), key/password/keyboard-interactive auth, keepalives, agent forwarding off, errors as values.
import { Client, utils, type AuthHandlerMiddleware, type AuthenticationType, type ParsedKey } from 'ssh2';
import { SshError } from './errors.js';
import { fingerprintOf } from './fingerprint.js';
import type { KnownHostsStore } from './known-hosts.js';
import type { SshPrompter } from './prompter.js';
import { SshSession } from './session.js';
import { targetLabel, type SshTarget } from './target.js';

export interface SshAuth {
  /** OpenSSH/PEM private key text. */
  privateKey?: string;
  passphrase?: string;
  password?: string;
}

export interface ConnectOptions {
  target: SshTarget;
  auth: SshAuth;
  knownHosts: KnownHostsStore;
  prompter: SshPrompter;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
}

export function parsePrivateKey(text: string, passphrase: string | undefined, where: string): ParsedKey {
  const parsed = utils.parseKey(text, passphrase);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || !key) {
    const why = key instanceof Error ? key.message : 'no key found';
    const hint = /passphrase|encrypted/i.test(why) ? ' (the key is encrypted: give its passphrase)' : '';
    throw new SshError('bad-key-file', `cannot use the private key ${where}: ${why}${hint}`, where);
  }
  return key;
}

function authHandler(opts: ConnectOptions, username: string): AuthHandlerMiddleware {
  const { auth, prompter } = opts;
  const methods: AuthenticationType[] = [];
  if (auth.privateKey) methods.push('publickey');
  if (auth.password !== undefined || (!auth.privateKey && prompter.password)) methods.push('password');
  if (prompter.keyboardInteractive) methods.push('keyboard-interactive');
  if (methods.length === 0) throw new SshError('no-credentials', `no way to log in to ${targetLabel(opts.target)}: give a key (-i KEYFILE) or a password`, targetLabel(opts.target));
  return (authsLeft, _partial, next) => {
    const allowed = authsLeft ?? ['publickey', 'password', 'keyboard-interactive'];
    while (methods.length > 0) {
      const m = methods.shift() as AuthenticationType;
      if (!allowed.includes(m)) continue;
      if (m === 'publickey') return next({ type: 'publickey', username, key: auth.privateKey as string, passphrase: auth.passphrase });
      if (m === 'password') {
        if (auth.password !== undefined) return next({ type: 'password', username, password: auth.password });
        void prompter.password!(targetLabel(opts.target)).then(
          (password) => next(password === undefined ? (false as unknown as AuthenticationType) : { type: 'password', username, password }),
          () => next(false as unknown as AuthenticationType),
        );
        return;
      }
      return next({
        type: 'keyboard-interactive',
        username,
        prompt: (name, instructions, _lang, prompts, finish) => {
          if (prompts.length === 0) return finish([]);
          void prompter.keyboardInteractive!({ name, instructions, prompts: prompts.map((p) => ({ prompt: p.prompt, echo: p.echo ?? false })) }).then(
            (answers) => finish(answers ?? []),
            () => finish([]),
          );
        },
      });
    }
    return next(false as unknown as AuthenticationType);
  };
}

function socketError(err: NodeJS.ErrnoException & { level?: string }, label: string): SshError {
  switch (err.code) {
    case 'ECONNREFUSED':
      return new SshError('refused', `${label} refused the connection: no SSH server listens on that port (is sshd running?)`, label);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return new SshError('unreachable', `${label} is unreachable (${err.code}): check the address and that this machine has a route to it`, label);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SshError('unreachable', `${label}: no such host name`, label);
    case 'ETIMEDOUT':
      return new SshError('timeout', `${label} did not answer (timed out): check the address and any firewall in between`, label);
    case 'ECONNRESET':
      return new SshError('closed', `${label} closed the connection during the handshake`, label);
    default:
      if (err.level === 'client-timeout') return new SshError('timeout', `${label} did not complete the SSH handshake in time`, label);
      return new SshError('closed', `${label}: ${err.message}`, label);
  }
}

function keyTypeOf(key: Buffer): string {
  const parsed = utils.parseKey(key);
  return parsed instanceof Error ? 'unknown' : (Array.isArray(parsed) ? parsed[0] : parsed).type;
}

export interface OfferedHostKey {
  type: string;
  fingerprint: string;
}

/**
 * The host key a node offers right now (as ssh-keyscan reads it): the key exchange only, no login, nothing trusted.
 * The connection is dropped as soon as the key is seen.
 */
export function scanHostKey(target: SshTarget, timeoutMs = 20_000): Promise<OfferedHostKey> {
  const label = targetLabel(target);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let offered: OfferedHostKey | undefined;
    let settled = false;
    const finish = (e?: SshError) => {
      if (settled) return;
      settled = true;
      client.end();
      if (offered) resolve(offered);
      else reject(e ?? new SshError('closed', `${label} closed the connection before offering a host key`, label));
    };
    client.on('error', (err: NodeJS.ErrnoException & { level?: string }) => finish(offered ? undefined : socketError(err, label)));
    client.on('close', () => finish());
    client.on('ready', () => finish());
    client.connect({
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: timeoutMs,
      agentForward: false,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        offered = { type: keyTypeOf(key), fingerprint: fingerprintOf(key) };
        verify(false);
        finish();
      },
    });
  });
}

export function connectSsh(opts: ConnectOptions): Promise<SshSession> {
  const { target, knownHosts, prompter } = opts;
  const label = targetLabel(target);
  if (opts.auth.privateKey) parsePrivateKey(opts.auth.privateKey, opts.auth.passphrase, 'given');
  const handler = authHandler(opts, target.user);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKeyError: SshError | undefined;
    let settled = false;
    const fail = (e: SshError) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(e);
    };
    client.once('ready', () => {
      settled = true;
      // many small request/response round trips (one channel per command): don't let Nagle hold them back
      client.setNoDelay(true);
      resolve(new SshSession(client, target));
    });
    client.on('error', (err: NodeJS.ErrnoException & { level?: string }) => {
      if (hostKeyError) fail(hostKeyError);
      else if (err.level === 'client-authentication') fail(new SshError('auth-failed', `${label} refused the login: wrong password or key, or ${target.user} may not log in that way`, label));
      else fail(socketError(err, label));
    });
    client.on('close', () => fail(hostKeyError ?? new SshError('closed', `${label} closed the connection`, label)));
    client.connect({
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: opts.readyTimeoutMs ?? 20_000,
      keepaliveInterval: opts.keepaliveIntervalMs ?? 10_000,
      keepaliveCountMax: 3,
      agentForward: false,
      tryKeyboard: prompter.keyboardInteractive !== undefined,
      authHandler: handler,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        const type = keyTypeOf(key);
        const fingerprint = fingerprintOf(key);
        const verdict = knownHosts.check(target.host, target.port, type, fingerprint);
        if (verdict.kind === 'known') return verify(true);
        if (verdict.kind === 'changed') {
          hostKeyError = new SshError(
            'host-key-changed',
            `WARNING: the host key of ${label} has CHANGED. Pinned: ${verdict.entry.type} ${verdict.entry.fingerprint} (since ${verdict.entry.firstSeen}); offered now: ${type} ${fingerprint}. ` +
              `Someone may be intercepting the connection, or the firewall was reinstalled. Refused. Check the key on the firewall's console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and, if it is right, remove the old one from ${knownHosts.file}.`,
            label,
            {
              target: label,
              host: target.host,
              port: target.port,
              keyType: type,
              pinnedKeyType: verdict.entry.type,
              pinnedFingerprint: verdict.entry.fingerprint,
              offeredFingerprint: fingerprint,
              pinnedSince: verdict.entry.firstSeen,
            },
          );
          return verify(false);
        }
        void prompter.confirmHostKey({ host: target.host, port: target.port, type, fingerprint }).then(
          (ok) => {
            if (ok) knownHosts.pin({ host: target.host, port: target.port, type, fingerprint });
            else hostKeyError = new SshError('host-key-unknown', `the host key of ${label} is not known yet: ${type} ${fingerprint}. Compare it with the firewall's (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and accept it (--yes in scripts)`, label);
            verify(ok);
          },
          () => verify(false),
        );
      },
    });
  });
}
