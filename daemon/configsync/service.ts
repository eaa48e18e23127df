import { existsSync, watch, type FSWatcher } from 'node:fs';
import type { Server } from 'node:https';
import { dirname, join } from 'node:path';
import { SafeApplier, type RecoveryReport } from './apply.js';
import type { ConfigSyncConfig } from './config.js';
import { lineDiff } from './diff.js';
import { fail, messageOf, ok, type Result, type SyncError } from './errors.js';
import { realExec, type Exec } from './exec.js';
import { atomicWrite, realFs, type SyncFs } from './fsops.js';
import { ensureIdentity, type Identity } from './identity.js';
import type { SectionSpec } from './presets.js';
import { makeRevision, PROTOCOL_VERSION, readSection, readSections, sectionChecksum, targetsFor, type Revision } from './revision.js';
import { resolveSections } from './sections.js';
import { callPeer, startRpcServer, type Handlers } from './transport.js';
import { checksumsSchema, errorReply, helloSchema, pushOptionsSchema, pushReplySchema, revisionFromWire, revisionToWire, type Hello, type PushReply } from './wire.js';
import type { XmlRpcValue } from './xmlrpc.js';

export type ConfigSyncEventKind =
  | 'pushed' // source: the peer applied a revision
  | 'push-failed' // source: the peer refused or could not be reached; `cause` says why
  | 'applied' // receiver: a revision was installed
  | 'refused' // receiver: a push was refused (validation, version, role, overrides); nothing changed
  | 'drift' // a section differs from the last synced revision (hand edit) or from the peer
  | 'in-sync' // a drifted section is equal again
  | 'recovered'; // an apply interrupted by a crash was rolled back or forward at start

export interface ConfigSyncEvent {
  kind: ConfigSyncEventKind;
  sections: string[];
  cause: string;
}

export interface SectionState {
  name: string;
  /** This node's checksum of the section in the generic form (null: the files cannot be read or rendered). */
  checksum: string | null;
  /** The peer's, as last fetched (source) or as last synced (receiver). */
  peerChecksum: string | null;
  state: 'in-sync' | 'drifted' | 'unknown';
  lastSync: string | null;
  lastSyncAgeSeconds: number | null;
}

export interface ConfigSyncStatus {
  role: 'source' | 'receiver';
  fingerprint: string;
  peer: { address: string; reachable: boolean | null; lastContact: string | null; error: string | null };
  sections: SectionState[];
  lastPush: { time: string; ok: boolean; error: string | null; changed: string[] } | null;
  /** Source: a change is waiting to be pushed (the last push failed or the peer was down). */
  pending: boolean;
}

export interface SectionDiff {
  name: string;
  diff: string;
}

export interface ConfigSyncDeps {
  node: string;
  /** carpd's stateDir; the module keeps its files in stateDir/configsync. */
  stateDir: string;
  fs?: SyncFs;
  exec?: Exec;
  onEvent?(e: ConfigSyncEvent): void;
  log?(line: string): void;
  /** Whether a network interface exists here; default: /sys/class/net/NAME. */
  interfaceExists?(name: string): boolean;
}

interface Persisted {
  /** Per section: the generic checksum last synced and when. */
  sections: Record<string, { checksum: string; time: string }>;
  revision: string | null;
}

/**
 * Configuration sync for one node. The source pushes its sections (on change, debounced, and on `push()`), checks
 * the receiver's checksums every `checkInterval` and retries while a change is pending; the receiver installs
 * revisions with SafeApplier and reports hand edits as drift.
 */
export class ConfigSync {
  private readonly fs: SyncFs;
  private readonly exec: Exec;
  private readonly dir: string;
  private readonly applier: SafeApplier;
  private specs: SectionSpec[] = [];
  private identity: Identity | null = null;
  private server: Server | null = null;
  private watchers: FSWatcher[] = [];
  private debounce: NodeJS.Timeout | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private persisted: Persisted = { sections: {}, revision: null };
  private own = new Map<string, string | null>();
  private peerSums = new Map<string, string>();
  private drifted = new Set<string>();
  private peer: ConfigSyncStatus['peer'];
  private lastPush: ConfigSyncStatus['lastPush'] = null;
  private pending = false;
  private stopped = false;

  constructor(
    private readonly cfg: ConfigSyncConfig,
    private readonly deps: ConfigSyncDeps,
  ) {
    this.fs = deps.fs ?? realFs;
    this.exec = deps.exec ?? realExec;
    this.dir = join(deps.stateDir, 'configsync');
    this.applier = new SafeApplier({ fs: this.fs, exec: this.exec, dir: this.dir, commandTimeoutMs: cfg.commandTimeout * 1000 });
    this.peer = { address: `${cfg.peer.address}:${cfg.peer.port}`, reachable: null, lastContact: null, error: null };
  }

  /** Recovers an interrupted apply, loads or creates the certificate, listens, and starts watching. Never throws. */
  async start(): Promise<Result<void>> {
    try {
      const specs = resolveSections(this.cfg.sections);
      if (!specs.ok) return specs;
      this.specs = specs.value;
      const rec = await this.applier.recover();
      await this.loadState(rec);
      const id = await ensureIdentity(this.fs, this.exec, this.deps.node, this.cfg.key ?? join(this.dir, 'node.key'), this.cfg.cert ?? join(this.dir, 'node.crt'));
      if (!id.ok) return id;
      this.identity = id.value;
      const srv = await startRpcServer({
        host: this.cfg.listen,
        port: this.cfg.port,
        identity: id.value,
        peerFingerprint: this.cfg.peer.fingerprint,
        handlers: this.handlers(),
        onRefused: (why) => this.deps.log?.(`config sync: ${why}`),
      });
      if (!srv.ok) return srv;
      this.server = srv.value;
      if (this.cfg.role === 'source') {
        this.watchFiles();
        this.pending = true;
      }
      await this.refreshOwn();
      this.ticker = setInterval(() => void this.check(), this.cfg.checkInterval * 1000);
      return ok(undefined);
    } catch (e) {
      return fail('CONFIG_SYNC_START', `config sync could not start: ${messageOf(e)}`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.debounce) clearTimeout(this.debounce);
    if (this.ticker) clearInterval(this.ticker);
    const srv = this.server;
    this.server = null;
    if (srv) {
      const closed = new Promise<void>((r) => srv.close(() => r()));
      srv.closeAllConnections();
      await closed;
    }
    await this.queue.catch(() => undefined);
  }

  /** Source: pushes the current revision now and resolves with what the peer did. */
  push(): Promise<Result<PushReply & { ok: true }>> {
    return this.serial(() => this.doPush(false));
  }

  /** Source: what a push would change on the peer, per section, without changing anything there. */
  async diff(): Promise<Result<SectionDiff[]>> {
    const r = await this.serial(() => this.doPush(true));
    return r.ok ? ok(r.value.diffs) : r;
  }

  status(): ConfigSyncStatus {
    const now = Date.now();
    const sections = this.specs.map((s): SectionState => {
      const checksum = this.own.get(s.name) ?? null;
      const last = this.persisted.sections[s.name];
      const peerChecksum = this.cfg.role === 'source' ? (this.peerSums.get(s.name) ?? null) : (last?.checksum ?? null);
      const state = checksum === null || peerChecksum === null ? 'unknown' : checksum === peerChecksum ? 'in-sync' : 'drifted';
      return { name: s.name, checksum, peerChecksum, state, lastSync: last?.time ?? null, lastSyncAgeSeconds: last ? Math.max(0, Math.round((now - Date.parse(last.time)) / 1000)) : null };
    });
    return { role: this.cfg.role, fingerprint: this.identity?.fingerprint ?? '', peer: { ...this.peer }, sections, lastPush: this.lastPush, pending: this.pending };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private hello(): Hello {
    return { protocol: PROTOCOL_VERSION, node: this.deps.node, role: this.cfg.role };
  }

  private async call(method: 'carpdeck.status' | 'carpdeck.pushRevision' | 'carpdeck.checksums', params: XmlRpcValue[]): Promise<Result<XmlRpcValue>> {
    const r = await callPeer(
      { host: this.cfg.peer.address, port: this.cfg.peer.port, identity: this.identity!, peerFingerprint: this.cfg.peer.fingerprint, timeoutMs: (this.cfg.commandTimeout * 3 + 5) * 1000 },
      method,
      params,
    );
    const reached = r.ok || !['PEER_UNREACHABLE', 'PEER_TIMEOUT'].includes(r.error.code);
    this.peer = { ...this.peer, reachable: reached, lastContact: reached ? new Date().toISOString() : this.peer.lastContact, error: r.ok ? null : r.error.message };
    return r;
  }

  private async currentRevision(): Promise<Result<Revision>> {
    const secs = await readSections(this.fs, this.specs, this.cfg.overrides);
    if (!secs.ok) return secs;
    return ok(makeRevision(this.deps.node, secs.value));
  }

  private async doPush(dryRun: boolean): Promise<Result<PushReply & { ok: true }>> {
    if (this.cfg.role !== 'source') return fail('NOT_SOURCE', 'this node is a sync receiver; push from the source node (configSync.role "source")');
    if (!this.identity) return fail('NOT_STARTED', 'config sync is not running');
    const rev = await this.currentRevision();
    const result = rev.ok ? await this.sendRevision(rev.value, dryRun) : rev;
    if (dryRun) return result;
    const time = new Date().toISOString();
    if (result.ok) {
      this.pending = false;
      for (const s of result.value.checksums) {
        this.peerSums.set(s.name, s.checksum);
        this.persisted.sections[s.name] = { checksum: s.checksum, time };
      }
      if (rev.ok) this.persisted.revision = rev.value.id;
      await this.saveState();
      await this.refreshOwn();
      this.lastPush = { time, ok: true, error: null, changed: result.value.changed };
      if (result.value.changed.length > 0) this.emit('pushed', result.value.changed, `the peer applied ${result.value.changed.join(', ')}`);
    } else {
      this.pending = true;
      await this.refreshOwn();
      this.lastPush = { time, ok: false, error: result.error.message, changed: [] };
      this.emit('push-failed', result.error.where && this.specs.some((s) => s.name === result.error.where) ? [result.error.where] : [], `${result.error.code}: ${result.error.message}`);
    }
    return result;
  }

  private async sendRevision(rev: Revision, dryRun: boolean): Promise<Result<PushReply & { ok: true }>> {
    const r = await this.call('carpdeck.pushRevision', [this.helloValue(), revisionToWire(rev), { dryRun }]);
    if (!r.ok) return r;
    const reply = pushReplySchema.safeParse(r.value);
    if (!reply.success) return fail('PEER_REPLY', `the peer's reply to pushRevision is malformed: ${reply.error.issues[0]?.message}`);
    if (!reply.data.ok) return { ok: false, error: { ...reply.data.error, message: `the peer refused the revision: ${reply.data.error.message}` } };
    return ok(reply.data);
  }

  private helloValue(): XmlRpcValue {
    return { ...this.hello() };
  }

  private handlers(): Handlers {
    return {
      'carpdeck.status': async () => ({ ...this.hello(), fingerprint: this.identity?.fingerprint ?? '' }),
      'carpdeck.checksums': async () => {
        await this.refreshOwn();
        return {
          node: this.deps.node,
          sections: [...this.own].filter((e): e is [string, string] => e[1] !== null).map(([name, checksum]) => ({ name, checksum })),
          lastSync: Object.values(this.persisted.sections).reduce((m, s) => (s.time > m ? s.time : m), ''),
        };
      },
      'carpdeck.pushRevision': (params) => this.serial(() => this.receive(params)) as Promise<XmlRpcValue>,
    };
  }

  /** Receiver side of pushRevision: checks who and what, then applies (or dry-runs) all-or-nothing. */
  private async receive(params: XmlRpcValue[]): Promise<PushReply> {
    const refuse = (e: SyncError, dryRun: boolean): PushReply => {
      if (!dryRun) this.emit('refused', e.where && this.specs.some((s) => s.name === e.where) ? [e.where] : [], `${e.code}: ${e.message}`);
      return errorReply(e);
    };
    const hello = helloSchema.safeParse(params[0]);
    const opts = pushOptionsSchema.safeParse(params[2]);
    if (!hello.success || !opts.success) return refuse({ code: 'BAD_REQUEST', message: 'pushRevision takes (hello, revision, {dryRun})' }, false);
    const dryRun = opts.data.dryRun;
    if (hello.data.protocol !== PROTOCOL_VERSION) {
      return refuse({ code: 'INCOMPATIBLE', message: `${hello.data.node} speaks config-sync protocol ${hello.data.protocol}, this node ${PROTOCOL_VERSION}; upgrade both nodes to the same CarpDeck version` }, dryRun);
    }
    if (hello.data.role !== 'source') {
      return refuse({ code: 'NOT_SOURCE', message: `${hello.data.node} is configured as a receiver and may not push; set configSync.role "source" on exactly one node` }, dryRun);
    }
    if (this.cfg.role === 'source') {
      return refuse({ code: 'TWO_SOURCES', message: `${this.deps.node} is the sync source itself; only one node may be the source (set configSync.role to "receiver" on one node)` }, dryRun);
    }
    const rev = revisionFromWire(params[1]);
    if (!rev.ok) return refuse({ code: 'BAD_REVISION', message: rev.message }, dryRun);
    if (rev.value.protocol !== PROTOCOL_VERSION) return refuse({ code: 'INCOMPATIBLE', message: `revision format ${rev.value.protocol} is not ${PROTOCOL_VERSION}` }, dryRun);
    const targets = targetsFor(rev.value, this.specs, this.cfg.overrides);
    if (!targets.ok) return refuse(targets.error, dryRun);
    const missing = this.missingInterfaces(rev.value);
    if (missing) return refuse(missing, dryRun);
    if (dryRun) {
      const diffs = [];
      for (const t of targets.value) {
        const parts = [];
        for (const f of t.files) {
          const cur = await this.fs.read(f.path);
          parts.push(lineDiff(f.path, cur?.toString('utf8') ?? null, f.content?.toString('utf8') ?? null));
        }
        diffs.push({ name: t.spec.name, diff: parts.filter(Boolean).join('\n') });
      }
      const checked = await this.applier.check(targets.value);
      if (!checked.ok) return errorReply(checked.error);
      return { ok: true, ...checked.value, diffs, checksums: [] };
    }
    const applied = await this.applier.apply(targets.value, { revision: rev.value.id, source: rev.value.source, created: rev.value.created });
    if (!applied.ok) return refuse(applied.error, false);
    const time = new Date().toISOString();
    const sums = rev.value.sections.map((s) => ({ name: s.name, checksum: sectionChecksum(s) }));
    for (const s of sums) this.persisted.sections[s.name] = { checksum: s.checksum, time };
    this.persisted.revision = rev.value.id;
    await this.saveState();
    await this.refreshOwn();
    if (applied.value.changed.length > 0) this.emit('applied', applied.value.changed, `revision ${rev.value.id} from ${rev.value.source}`);
    return { ok: true, ...applied.value, diffs: [], checksums: sums.map((s) => ({ name: s.name, checksum: this.own.get(s.name) ?? '' })) };
  }

  /** Interfaces are mapped by role: a role the revision uses must name an interface that exists on this node. */
  private missingInterfaces(rev: Revision): SyncError | null {
    const exists = this.deps.interfaceExists ?? ((name: string) => existsSync(`/sys/class/net/${name}`));
    for (const s of rev.sections) {
      for (const f of s.files) {
        for (const m of (f.content ?? '').matchAll(/\{\{if\.([a-z0-9-]+)\}\}/g)) {
          const name = this.cfg.overrides.interfaces[m[1]];
          if (name !== undefined && !exists(name)) {
            return { code: 'INTERFACE_MISSING', message: `${f.path} uses the "${m[1]}" interface, which configSync.overrides.interfaces maps to ${name} on this node, but ${name} does not exist; fix the mapping`, where: s.name };
          }
        }
      }
    }
    return null;
  }

  /** Recomputes this node's checksums; on the receiver, differences from the last synced revision are drift. */
  private async refreshOwn(): Promise<void> {
    for (const spec of this.specs) {
      const one = await readSection(this.fs, spec, this.cfg.overrides);
      this.own.set(spec.name, one.ok ? sectionChecksum(one.value) : null);
    }
    const against = (name: string) => (this.cfg.role === 'source' ? this.peerSums.get(name) : this.persisted.sections[name]?.checksum);
    const nowDrifted = this.specs.filter((s) => {
      const mine = this.own.get(s.name);
      const other = against(s.name);
      return mine != null && other !== undefined && mine !== other;
    });
    const fresh = nowDrifted.filter((s) => !this.drifted.has(s.name)).map((s) => s.name);
    const healed = [...this.drifted].filter((n) => !nowDrifted.some((s) => s.name === n));
    this.drifted = new Set(nowDrifted.map((s) => s.name));
    // The source's own edit differs from the peer until it is pushed: drift is news only when nothing is pending.
    if (fresh.length > 0 && !(this.cfg.role === 'source' && this.pending)) {
      const why = this.cfg.role === 'source' ? `differs on the peer ${this.cfg.peer.address}` : 'was changed on this node since the last sync (edit it on the source instead)';
      this.emit('drift', fresh, `${fresh.join(', ')} ${why}`);
    }
    if (healed.length > 0) this.emit('in-sync', healed, `${healed.join(', ')} in sync again`);
  }

  /** A drift check now (also run every checkInterval): fetches the peer's checksums (source), compares, retries a pending push. */
  async check(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.cfg.role === 'source') {
        const r = await this.call('carpdeck.checksums', [this.helloValue()]);
        if (r.ok) {
          const sums = checksumsSchema.safeParse(r.value);
          if (sums.success) {
            this.peerSums = new Map(sums.data.sections.map((s) => [s.name, s.checksum]));
          }
        }
        await this.refreshOwn();
        if (r.ok && this.pending && !this.stopped) await this.push();
      } else await this.refreshOwn();
    } catch (e) {
      this.deps.log?.(`config sync check failed: ${messageOf(e)}`);
    }
  }

  private watchFiles(): void {
    const files = new Set(this.specs.flatMap((s) => s.files));
    const dirs = new Set([...files].map((f) => dirname(f)));
    for (const d of dirs) {
      try {
        const w = watch(d, (_type, name) => {
          if (name && files.has(join(d, name.toString()))) this.changed();
        });
        w.on('error', (e) => this.deps.log?.(`config sync: watching ${d} failed: ${e.message}`));
        this.watchers.push(w);
      } catch (e) {
        this.deps.log?.(`config sync: cannot watch ${d} (${messageOf(e)}); changes there are pushed on the next check or "carpctl sync-config push"`);
      }
    }
  }

  private changed(): void {
    this.pending = true;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      if (!this.stopped) void this.push();
    }, this.cfg.debounceMs);
  }

  private emit(kind: ConfigSyncEventKind, sections: string[], cause: string): void {
    this.deps.onEvent?.({ kind, sections, cause });
  }

  private async loadState(rec: RecoveryReport): Promise<void> {
    const raw = await this.fs.read(join(this.dir, 'state.json'));
    if (raw) {
      try {
        this.persisted = JSON.parse(raw.toString('utf8')) as Persisted;
      } catch {
        this.deps.log?.('config sync: state.json is unreadable; sync history starts over');
      }
    }
    if (rec.action === 'rolled-back' || rec.action === 'rolled-forward') {
      if (rec.action === 'rolled-forward' && rec.meta) {
        const secs = await readSections(this.fs, this.specs, this.cfg.overrides);
        if (secs.ok) for (const s of secs.value) this.persisted.sections[s.name] = { checksum: sectionChecksum(s), time: new Date().toISOString() };
        this.persisted.revision = rec.meta.revision;
        await this.saveState();
      }
      const problems = rec.problems.length ? `; ${rec.problems.join('; ')}` : '';
      this.emit('recovered', [], `an apply interrupted by a crash was ${rec.action} (revision ${rec.meta?.revision ?? '?'} from ${rec.meta?.source ?? '?'})${problems}`);
    }
  }

  private async saveState(): Promise<void> {
    await this.fs.mkdirs(this.dir);
    await atomicWrite(this.fs, join(this.dir, 'state.json'), Buffer.from(JSON.stringify(this.persisted, null, 2)), 0o600);
  }
}
