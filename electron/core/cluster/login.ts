// The `connect` procedure's login: key file and passphrase, given or saved password, prompts relayed to the UI.
// A saved secret is tried first; if the node refuses it, it is dropped and the person is asked. With `remember`,
// the password or passphrase given during a successful login is saved.
import { readFileSync } from 'node:fs';
import type { ClusterPrompt, ConnectInput } from '../../../shared/api/cluster-contract.js';
import type { CredentialStore, SavedSecret } from '../credentials/store.js';
import { parsePrivateKey, type ConnectOptions, type SshAuth } from '../ssh/connect.js';
import { SshError } from '../ssh/errors.js';
import type { KnownHostsStore } from '../ssh/known-hosts.js';
import type { SshSession } from '../ssh/session.js';
import { targetLabel, type SshTarget } from '../ssh/target.js';
import { uiPrompter, type PromptRelay } from './prompts.js';

export interface LoginDeps {
  relay: PromptRelay;
  credentials: CredentialStore;
  knownHosts: KnownHostsStore;
  connect: (opts: ConnectOptions) => Promise<SshSession>;
}

export interface LoginResult {
  session: SshSession;
  /** What logged in, for reconnects without asking anyone (kept in memory only). */
  auth: SshAuth;
  fingerprint: string | null;
}

const isEncryptedKeyError = (e: unknown) => e instanceof SshError && e.code === 'bad-key-file' && /encrypted|passphrase/i.test(e.message);

async function savedSecret(store: CredentialStore, label: string): Promise<SavedSecret | undefined> {
  try {
    return await store.get(label);
  } catch {
    return undefined;
  }
}

export async function login(deps: LoginDeps, input: ConnectInput, target: SshTarget, owner: string, show: (p: ClusterPrompt) => void): Promise<LoginResult> {
  const label = targetLabel(target);
  const saved = await savedSecret(deps.credentials, label);
  const given: SavedSecret = {};
  const auth: SshAuth = {};
  let usingSaved = false;

  if (input.identity) {
    try {
      auth.privateKey = readFileSync(input.identity, 'utf8');
    } catch (e) {
      throw new SshError('bad-key-file', `cannot read the key file ${input.identity} on this machine (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the path of a private key readable by CarpDeck`, input.identity);
    }
    const tryKey = (passphrase: string | undefined) => {
      try {
        parsePrivateKey(auth.privateKey as string, passphrase, input.identity as string);
        return true;
      } catch (e) {
        if (isEncryptedKeyError(e) || passphrase !== undefined) return false;
        throw e;
      }
    };
    if (!tryKey(undefined)) {
      let passphrase = input.password;
      if (passphrase === undefined && saved?.passphrase !== undefined) {
        if (tryKey(saved.passphrase)) passphrase = saved.passphrase;
        else await deps.credentials.delete(label);
      } else if (passphrase !== undefined) given.passphrase = passphrase;
      while (passphrase === undefined || !tryKey(passphrase)) {
        const a = await deps.relay.ask(owner, { type: 'password', label: `passphrase of the key ${input.identity}${passphrase === undefined ? '' : ' (the last one was wrong)'}` }, show);
        const answer = a?.answers?.[0];
        if (answer === undefined) throw new SshError('bad-key-file', `the key ${input.identity} is encrypted and no passphrase was given`, input.identity);
        passphrase = answer;
        given.passphrase = answer;
      }
      auth.passphrase = passphrase;
    }
  } else if (input.password !== undefined) {
    auth.password = input.password;
    given.password = input.password;
  } else if (saved?.password !== undefined) {
    auth.password = saved.password;
    usingSaved = true;
  }

  const attempt = (a: SshAuth) =>
    deps.connect({
      target,
      auth: a,
      knownHosts: deps.knownHosts,
      prompter: uiPrompter({ relay: deps.relay, owner, show, typedPassword: (p) => (given.password = p) }),
    });

  let session: SshSession;
  try {
    session = await attempt(auth);
  } catch (e) {
    if (!(usingSaved && e instanceof SshError && e.code === 'auth-failed')) throw e;
    await deps.credentials.delete(label);
    delete auth.password;
    session = await attempt(auth);
  }
  if (given.password !== undefined) auth.password = given.password;

  if (input.remember && (given.password !== undefined || given.passphrase !== undefined)) {
    await deps.credentials.set(label, { ...saved, ...given });
  } else if (usingSaved && given.password !== undefined) {
    // the saved password was not what got us in: it is stale
    await deps.credentials.delete(label);
  }
  const pinned = deps.knownHosts.list().find((h) => h.host === target.host && h.port === target.port);
  return { session, auth, fingerprint: pinned?.fingerprint ?? null };
}
