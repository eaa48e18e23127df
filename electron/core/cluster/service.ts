// The control panel's backend: the SSH sessions per node (id = USER@HOST[:PORT]), their carpd status, the merged
// timeline, actions and deploy. Prompts of a login go to the person through the `connect` stream; answers come
// back through `answer`. Secrets stay here (and in the credential store): the renderer never receives one.
import { randomUUID } from 'node:crypto';
import type {
  ClusterAction,
  ClusterNode,
  ConnectInput,
  ConnectUpdate,
  ForgetHostKeyResult,
  KnownHostsList,
  Progress,
  ReplaceHostKeyInput,
  ReplaceHostKeyResult,
  TimelineEvent,
} from '../../../shared/api/cluster-contract.js';
import type { CredentialStore } from '../credentials/store.js';
import { localBundle, type Bundle } from '../deploy/artifacts.js';
import { scanHostKey, type ConnectOptions, type OfferedHostKey } from '../ssh/connect.js';
import { SshError, type HostKeyChange } from '../ssh/errors.js';
import { hostLabel, KnownHostsStore, replacePinnedKey, type KnownHost } from '../ssh/known-hosts.js';
import type { SshSession } from '../ssh/session.js';
import { parseTarget, targetLabel, type SshTarget } from '../ssh/target.js';
import { runAction, type ActionContext } from './actions.js';
import { Channel } from './channel.js';
import { runDeploy, type DeployInput } from './deploy.js';
import { login } from './login.js';
import { ClusterMember, errorValue } from './member.js';
import { PromptRelay, type PromptAnswer } from './prompts.js';
import { interactiveConnect, probeTcp } from './reach.js';
import { Timeline } from './timeline.js';
import { carpdView } from './view.js';

export interface ClusterServiceOptions {
  credentials: CredentialStore;
  /** Pinned host keys (JSON, trust on first use). */
  knownHostsFile: string;
  /** The SSH layer (default: connectSsh after a TCP probe, with time for the person to answer prompts). */
  connect?: (opts: ConnectOptions) => Promise<SshSession>;
  /** Reads the host key a node offers now, for replacing a pin (default: scanHostKey after a TCP probe). */
  scanHostKey?: (target: SshTarget) => Promise<OfferedHostKey>;
  /** The carpd bundle to deploy (default: the one next to this program). */
  bundle?: () => Promise<Bundle>;
  /** carpd status poll interval (default 1000 ms). */
  pollMs?: number;
  /** Reconnect delay before attempt n (default 1 s doubling to 30 s, with jitter). */
  backoff?: (attempt: number) => number;
  /** How long node events are held to put several nodes in time order (default 40 ms). */
  holdMs?: number;
  now?: () => number;
}

type NodesUpdate = { nodes: ClusterNode[] };

export class ClusterService {
  readonly timeline: Timeline;
  private readonly members = new Map<string, ClusterMember>();
  private readonly relay = new PromptRelay();
  private readonly knownHosts: KnownHostsStore;
  private readonly watchers = new Set<Channel<NodesUpdate>>();
  private readonly waiters = new Set<() => void>();
  private saved = new Set<string>();
  /** The last refused, changed host key of each node that failed to reconnect with one. */
  private readonly changedKeys = new Map<string, HostKeyChange>();
  private changeTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly o: ClusterServiceOptions) {
    this.now = o.now ?? Date.now;
    this.timeline = new Timeline({ holdMs: o.holdMs, now: this.now });
    this.knownHosts = new KnownHostsStore(o.knownHostsFile);
    void this.refreshSaved();
  }

  /** Opens (or reopens) the session of a node; streams prompts, then `connected` or `failed`. */
  connect(input: ConnectInput, signal?: AbortSignal): AsyncIterableIterator<ConnectUpdate> {
    const ch = new Channel<ConnectUpdate>(signal);
    const owner = randomUUID();
    ch.whenClosed(() => this.relay.cancel(owner));
    void this.open(input, owner, (p) => ch.push({ kind: 'prompt', prompt: p })).then((u) => {
      ch.push(u);
      ch.end();
    });
    return ch;
  }

  answer(id: string, answer: PromptAnswer): { ok: boolean } {
    return { ok: this.relay.answer(id, answer) };
  }

  disconnect(id: string): { ok: boolean } {
    const m = this.members.get(id);
    if (!m) return { ok: false };
    m.stop();
    this.members.delete(id);
    this.changed();
    return { ok: true };
  }

  /** The SSH session of a connected node (for the pairing wizard); throws a clear error when not connected. */
  session(id: string): SshSession {
    return this.member(id).session();
  }

  nodes(signal?: AbortSignal): AsyncIterableIterator<NodesUpdate> {
    const ch = new Channel<NodesUpdate>(signal);
    ch.push({ nodes: this.list() });
    this.watchers.add(ch);
    ch.whenClosed(() => this.watchers.delete(ch));
    return ch;
  }

  timelineStream(since: number | undefined, signal?: AbortSignal): AsyncIterableIterator<TimelineEvent> {
    return this.timeline.subscribe(since, signal);
  }

  action(action: ClusterAction, node: string | undefined, signal?: AbortSignal): AsyncIterableIterator<Progress> {
    const ch = new Channel<Progress>(signal);
    void runAction(this.actionContext(), action, node, (p) => ch.push(p), signal).finally(() => ch.end());
    return ch;
  }

  deploy(input: DeployInput, signal?: AbortSignal): AsyncIterableIterator<Progress> {
    const ch = new Channel<Progress>(signal);
    const bundle = this.o.bundle ?? (() => localBundle());
    void runDeploy(() => this.member(input.node), bundle, input, (p) => ch.push(p)).finally(() => ch.end());
    return ch;
  }

  async credentialList(): Promise<{ persistent: boolean; targets: string[]; notice?: string }> {
    await this.refreshSaved();
    const store = this.o.credentials;
    return { persistent: store.persistent, targets: [...this.saved], ...(store.notice ? { notice: store.notice } : {}) };
  }

  async forget(target: string): Promise<{ ok: boolean }> {
    const ok = await this.o.credentials.delete(target);
    await this.refreshSaved();
    return { ok };
  }

  hostKeyList(): KnownHostsList {
    try {
      return { ok: true, file: this.knownHosts.file, hosts: this.knownHosts.list().map(knownHostView) };
    } catch (e) {
      return { ok: false, error: withFix(errorValue(e)) };
    }
  }

  /** Replaces a pin after a legitimate key change: only while it is `expectedOld` and the node offers `newFingerprint` now. */
  async hostKeyReplace(input: ReplaceHostKeyInput): Promise<ReplaceHostKeyResult> {
    try {
      const target = parseTarget(input.target.trim());
      const scan = this.o.scanHostKey ?? (async (t: SshTarget) => (await probeTcp(t), scanHostKey(t)));
      const r = await replacePinnedKey(this.knownHosts, { host: target.host, port: target.port, expectedOld: input.expectedOld, newFingerprint: input.newFingerprint }, () => scan(target));
      for (const [id, change] of this.changedKeys) if (change.host === target.host && change.port === target.port) this.changedKeys.delete(id);
      this.changed();
      return { ok: true, previous: knownHostView(r.previous), pinned: knownHostView(r.pinned) };
    } catch (e) {
      return { ok: false, error: withFix(errorValue(e)) };
    }
  }

  /** Drops a pin (as ssh-keygen -R): the next connection asks to trust the key again. */
  hostKeyForget(text: string): ForgetHostKeyResult {
    try {
      const target = parseTarget(text.trim());
      const gone = this.knownHosts.forget(target.host, target.port);
      return { ok: true, forgotten: gone ? knownHostView(gone) : null };
    } catch (e) {
      return { ok: false, error: withFix(errorValue(e)) };
    }
  }

  /** Closes every session and stream. */
  dispose(): void {
    for (const m of this.members.values()) m.stop();
    this.members.clear();
    clearTimeout(this.changeTimer);
    for (const w of [...this.watchers]) w.end();
    this.timeline.close();
  }

  private member(id: string): ClusterMember {
    const m = this.members.get(id);
    if (!m) throw new SshError('closed', `${id} is not connected; connect to it first (known nodes: ${[...this.members.keys()].join(', ') || 'none'})`, id);
    return m;
  }

  private async open(input: ConnectInput, owner: string, show: Parameters<typeof login>[4]): Promise<ConnectUpdate> {
    let label = input.target;
    try {
      const target = parseTarget(input.target.trim());
      label = targetLabel(target);
      const deps = { relay: this.relay, credentials: this.o.credentials, knownHosts: this.knownHosts, connect: this.o.connect ?? interactiveConnect };
      const r = await login(deps, input, target, owner, show);
      this.members.get(label)?.stop();
      const member = new ClusterMember({
        id: label,
        fingerprint: r.fingerprint,
        timeline: this.timeline,
        onChange: () => this.changed(),
        reconnect: () =>
          deps.connect({ target, auth: r.auth, knownHosts: this.knownHosts, prompter: { confirmHostKey: async () => false } }).catch((e: unknown) => {
            if (e instanceof SshError && e.hostKey) this.changedKeys.set(label, e.hostKey);
            throw e;
          }),
        pollMs: this.o.pollMs ?? 1000,
        backoff: this.o.backoff,
        now: this.now,
      });
      this.members.set(label, member);
      this.changedKeys.delete(label);
      member.start(r.session);
      await this.refreshSaved();
      this.changed();
      return { kind: 'connected', node: label, fingerprint: r.fingerprint ?? '' };
    } catch (e) {
      const error = withFix(errorValue(e));
      return { kind: 'failed', error: e instanceof SshError && e.hostKey ? { ...error, hostKey: e.hostKey } : error };
    }
  }

  private async refreshSaved(): Promise<void> {
    try {
      this.saved = new Set(await this.o.credentials.list());
    } catch {
      this.saved = new Set();
    }
  }

  private list(): ClusterNode[] {
    const all = [...this.members.values()];
    const now = this.now();
    return all.map((m) => {
      const peers = all.filter((p) => p !== m && p.status).map((p) => ({ id: p.id, status: p.status! }));
      let carpd: ClusterNode['carpd'] = null;
      if (m.status) carpd = carpdView(m.status, m.version, peers, now);
      else if (m.statusError) {
        carpd = { running: false, name: null, version: m.version, maintenance: false, demotion: 0, demotionReasons: {}, vhids: [], stateSync: null, configSync: null, error: m.statusError };
      }
      const hostKey = m.connection.error?.code === 'host-key-changed' ? this.changedKeys.get(m.id) : undefined;
      const connection = hostKey && m.connection.error ? { ...m.connection, error: { ...m.connection.error, hostKey } } : m.connection;
      return { id: m.id, fingerprint: m.fingerprint, connection, credentialSaved: this.saved.has(m.id), carpd, updated: m.updated };
    });
  }

  /** Coalesces bursts of changes into one fresh list for the watchers; waiters re-check at once. */
  private changed(): void {
    for (const w of [...this.waiters]) w();
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      const update = { nodes: this.list() };
      for (const w of this.watchers) w.pushLatest(update, () => true);
    }, 50);
  }

  private actionContext(): ActionContext {
    return {
      member: (id) => this.member(id),
      members: () => [...this.members.values()],
      now: this.now,
      note: (node, cause) => this.timeline.note(node, 'action', cause),
      waitFor: <T>(check: () => T | undefined, timeoutMs: number, signal?: AbortSignal) =>
        new Promise<T | undefined>((resolve) => {
          const first = check();
          if (first !== undefined) return resolve(first);
          const done = (v: T | undefined) => {
            clearTimeout(timer);
            this.waiters.delete(recheck);
            signal?.removeEventListener('abort', abort);
            resolve(v);
          };
          const recheck = () => {
            const v = check();
            if (v !== undefined) done(v);
          };
          const abort = () => done(undefined);
          const timer = setTimeout(abort, timeoutMs);
          this.waiters.add(recheck);
          signal?.addEventListener('abort', abort, { once: true });
        }),
    };
  }
}

const knownHostView = (h: KnownHost) => ({ target: hostLabel(h.host, h.port), host: h.host, port: h.port, keyType: h.type, fingerprint: h.fingerprint, pinnedAt: h.firstSeen });

function withFix<E extends { code: string; message: string }>(error: E): E & { fix?: string } {
  const fix = fixFor(error.code);
  return fix ? { ...error, fix } : error;
}

function fixFor(code: string): string | undefined {
  return {
    'auth-failed': 'check the user name and password (or key); the node refused this login',
    'host-key-changed':
      'check the new key on the firewall console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub); only if it is the offered one, trust it in place of the pinned key (here, or carpdeck known-hosts replace HOST --fingerprint SHA256:...) and connect again',
    'host-key-not-pinned': 'connect to the node: its key is asked for and pinned on first use',
    'host-key-pin-differs': 'reload the known hosts and compare again: the pin is not the one you saw',
    'host-key-offered-differs': 'read the fingerprint on the firewall console again and compare it with what the node offers; if they differ, do not connect',
    'bad-fingerprint': 'copy the fingerprint as ssh-keygen -lf prints it, e.g. SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
    'known-hosts-unreadable': 'fix the known hosts file or move it away (every host is then asked for again)',
    'host-key-unknown': 'compare the fingerprint with the firewall (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and accept it',
    unreachable: 'check the address and that this machine has a route to it',
    refused: 'check that sshd runs on the node and listens on that port',
    timeout: 'check the address and any firewall in between',
    'bad-target': 'write the node as USER@HOST or USER@HOST:PORT, e.g. root@192.0.2.10',
    'bad-key-file': 'give the path of a readable private key (and its passphrase when it is encrypted)',
  }[code];
}
