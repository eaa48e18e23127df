// The SSH layer against ssh2's in-process server: trust on first use, a changed key refused, auth methods and
// errors, exec with exit codes. Loopback only.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, utils } from 'ssh2';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectSsh, type SshAuth } from '../../../electron/core/ssh/connect.js';
import { SshError } from '../../../electron/core/ssh/errors.js';
import { fingerprintOf, keyBlobOfLine } from '../../../electron/core/ssh/fingerprint.js';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts.js';
import type { HostKeyQuestion, KeyboardRound, SshPrompter } from '../../../electron/core/ssh/prompter.js';

const dir = mkdtempSync(join(tmpdir(), 'carpdeck-ssh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clientKey = utils.generateKeyPairSync('ed25519');
const hostKeyA = utils.generateKeyPairSync('ed25519');
const hostKeyB = utils.generateKeyPairSync('ed25519');
const fingerprintOfPublic = (pub: string) => fingerprintOf(keyBlobOfLine(pub)!.blob);

interface Peer {
  port: number;
  close: () => Promise<void>;
}
const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

/** A fake firewall: password "right", the client key, or keyboard-interactive (password then code 123456). */
function startPeer(hostKey: string, port = 0): Promise<Peer> {
  const allowedKey = utils.parseKey(clientKey.public);
  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.password === 'right') return ctx.accept();
      if (ctx.method === 'publickey' && !(allowedKey instanceof Error) && !Array.isArray(allowedKey) && ctx.key.data.equals(allowedKey.getPublicSSH())) {
        if (!ctx.signature) return ctx.accept();
        return allowedKey.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) ? ctx.accept() : ctx.reject();
      }
      if (ctx.method === 'keyboard-interactive') {
        return ctx.prompt([{ prompt: 'Password: ', echo: false }], 'Login', 'step 1', (answers) => {
          if (answers[0] !== 'right') return ctx.reject();
          ctx.prompt([{ prompt: 'Code: ', echo: true }], 'Login', 'step 2', (codes) => (codes[0] === '123456' ? ctx.accept() : ctx.reject()));
        });
      }
      ctx.reject(['password', 'publickey', 'keyboard-interactive']);
    });
    client.on('ready', () =>
      client.on('session', (accept) =>
        accept().on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          stream.write(`ran: ${info.command}\n`);
          stream.exit(info.command.includes('fail') ? 3 : 0);
          stream.end();
        }),
      ),
    );
    client.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => {
      const peer = { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
      peers.push(peer);
      resolve(peer);
    }),
  );
}

function prompter(accept: boolean, rounds?: (r: KeyboardRound) => string[]): SshPrompter & { asked: HostKeyQuestion[]; rounds: KeyboardRound[] } {
  const asked: HostKeyQuestion[] = [];
  const seen: KeyboardRound[] = [];
  return {
    asked,
    rounds: seen,
    confirmHostKey: async (q) => {
      asked.push(q);
      return accept;
    },
    keyboardInteractive: rounds
      ? async (r) => {
          seen.push(r);
          return rounds(r);
        }
      : undefined,
  };
}

let n = 0;
const freshStore = () => new KnownHostsStore(join(dir, `kh-${++n}.json`));
const connect = (port: number, store: KnownHostsStore, p: SshPrompter, auth: SshAuth = { password: 'right' }) =>
  connectSsh({ target: { user: 'root', host: '127.0.0.1', port }, auth, knownHosts: store, prompter: p, readyTimeoutMs: 5000 });

async function failure(promise: Promise<unknown>): Promise<SshError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof SshError) return e;
    throw e;
  }
  throw new Error('expected the connection to fail');
}

describe('host keys: trust on first use', () => {
  it('asks about an unknown key with its OpenSSH fingerprint and refuses when not accepted, pinning nothing', async () => {
    const peer = await startPeer(hostKeyA.private);
    const store = freshStore();
    const p = prompter(false);
    const err = await failure(connect(peer.port, store, p));
    expect(err.code).toBe('host-key-unknown');
    expect(p.asked).toEqual([{ host: '127.0.0.1', port: peer.port, type: 'ssh-ed25519', fingerprint: fingerprintOfPublic(hostKeyA.public) }]);
    expect(err.message).toContain(fingerprintOfPublic(hostKeyA.public));
    expect(store.list()).toEqual([]);
  });

  it('pins an accepted key and does not ask again for it', async () => {
    const peer = await startPeer(hostKeyA.private);
    const store = freshStore();
    const first = prompter(true);
    (await connect(peer.port, store, first)).close();
    expect(first.asked).toHaveLength(1);
    expect(store.list().map((h) => h.fingerprint)).toEqual([fingerprintOfPublic(hostKeyA.public)]);
    const second = prompter(true);
    const session = await connect(peer.port, store, second);
    session.close();
    expect(second.asked).toHaveLength(0);
  });

  it('refuses a changed key with a warning naming both fingerprints, even when every prompt would say yes', async () => {
    const peerA = await startPeer(hostKeyA.private);
    const store = freshStore();
    (await connect(peerA.port, store, prompter(true))).close();
    const port = peerA.port;
    await peerA.close();
    peers.splice(peers.indexOf(peerA), 1);
    await startPeer(hostKeyB.private, port);
    const yes = prompter(true);
    const err = await failure(connect(port, store, yes));
    expect(err.code).toBe('host-key-changed');
    expect(err.message).toMatch(/CHANGED/);
    expect(err.message).toContain(fingerprintOfPublic(hostKeyA.public));
    expect(err.message).toContain(fingerprintOfPublic(hostKeyB.public));
    expect(yes.asked).toHaveLength(0);
    expect(store.list().map((h) => h.fingerprint)).toEqual([fingerprintOfPublic(hostKeyA.public)]);
  });
});

describe('authentication', () => {
  it('logs in with a key and runs a quoted command with its exit status', async () => {
    const peer = await startPeer(hostKeyA.private);
    const session = await connect(peer.port, freshStore(), prompter(true), { privateKey: clientKey.private });
    const ok = await session.exec(['echo', 'two words']);
    expect(ok).toMatchObject({ code: 0, stdout: "ran: echo 'two words'\n" });
    expect((await session.exec(['fail'])).code).toBe(3);
    session.close();
  });

  it('says the login was refused for a wrong password', async () => {
    const peer = await startPeer(hostKeyA.private);
    const err = await failure(connect(peer.port, freshStore(), prompter(true), { password: 'wrong' }));
    expect(err.code).toBe('auth-failed');
    expect(err.message).toMatch(/refused the login: wrong password or key/);
  });

  it('surfaces keyboard-interactive rounds (secret and echoed prompts) through the prompter', async () => {
    const peer = await startPeer(hostKeyA.private);
    const p = prompter(true, (r) => [r.prompts[0].prompt.startsWith('Password') ? 'right' : '123456']);
    const session = await connect(peer.port, freshStore(), p, {});
    session.close();
    expect(p.rounds.map((r) => [r.instructions, r.prompts])).toEqual([
      ['step 1', [{ prompt: 'Password: ', echo: false }]],
      ['step 2', [{ prompt: 'Code: ', echo: true }]],
    ]);
  });

  it('asks the prompter for the password when neither a key nor a password was given', async () => {
    const peer = await startPeer(hostKeyA.private);
    const asked: string[] = [];
    const p: SshPrompter = { confirmHostKey: async () => true, password: async (label) => (asked.push(label), 'right') };
    const session = await connect(peer.port, freshStore(), p, {});
    session.close();
    expect(asked).toEqual([`root@127.0.0.1:${peer.port}`]);
  });

  it('asks for credentials when none are given and no prompter can answer', async () => {
    const err = await failure(Promise.resolve().then(() => connect(1, freshStore(), prompter(true), {})));
    expect(err.code).toBe('no-credentials');
    expect(err.message).toMatch(/-i KEYFILE/);
  });
});

describe('connection errors', () => {
  it('says a port without an SSH server refused the connection', async () => {
    const tcp = createTcpServer();
    const port = await new Promise<number>((r) => tcp.listen(0, '127.0.0.1', () => r((tcp.address() as AddressInfo).port)));
    await new Promise<void>((r) => tcp.close(() => r()));
    const err = await failure(connect(port, freshStore(), prompter(true)));
    expect(err.code).toBe('refused');
    expect(err.message).toMatch(/refused the connection.*sshd/);
  });
});
