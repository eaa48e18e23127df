import { join } from 'node:path';
import { fail, messageOf, ok, type Result, type SyncError } from './errors.js';
import { describeFailure, type Exec } from './exec.js';
import { atomicRemove, atomicWrite, type SyncFs } from './fsops.js';
import type { SectionSpec } from './presets.js';
import { withFile } from './sections.js';

/** One file as a revision wants it on this node; `content: null` means the file must not exist. */
export interface TargetFile {
  path: string;
  content: Buffer | null;
  mode: number;
}

export interface TargetSection {
  spec: SectionSpec;
  files: TargetFile[];
}

/** What the revision is, kept in the journal so recovery can report what it rolled forward to. */
export interface RevisionMeta {
  revision: string;
  source: string;
  /** ISO time the source made it. */
  created: string;
}

export interface ApplyReport {
  /** Sections whose files changed and whose apply command ran. */
  changed: string[];
  unchanged: string[];
}

export interface RecoveryReport {
  action: 'none' | 'cleaned' | 'rolled-back' | 'rolled-forward';
  meta?: RevisionMeta;
  /** Apply commands that failed while restoring (the files are consistent; the service may need a look). */
  problems: string[];
}

interface JournalFile {
  path: string;
  /** Index of new-N / old-N in the transaction directory. */
  n: number;
  hadOld: boolean;
  oldMode: number;
  present: boolean;
  mode: number;
}

interface Journal {
  format: 1;
  phase: 'prepared' | 'committed';
  meta: RevisionMeta;
  files: JournalFile[];
  /** Apply argvs of the touched sections, {file} already resolved to the real path. */
  apply: { section: string; argv: string[] }[];
}

export interface ApplierDeps {
  fs: SyncFs;
  exec: Exec;
  /** Private directory for the transaction (stateDir/configsync). */
  dir: string;
  commandTimeoutMs: number;
}

/**
 * Installs a revision all-or-nothing. Order: stage and validate, back up the current files, write the journal
 * ("prepared"), install each file atomically, run apply, verify, mark the journal "committed", drop the
 * transaction. Any failure before "committed" restores the backups; a crash is settled by `recover()` at start:
 * "prepared" rolls back, "committed" rolls forward. Either way every file is from one revision.
 */
export class SafeApplier {
  private readonly txn: string;
  private readonly journalPath: string;

  constructor(private readonly d: ApplierDeps) {
    this.txn = join(d.dir, 'txn');
    this.journalPath = join(this.txn, 'journal.json');
  }

  /** The current content of every file of these sections (null when absent). */
  async current(specs: readonly SectionSpec[]): Promise<Map<string, Buffer | null>> {
    const m = new Map<string, Buffer | null>();
    for (const s of specs) for (const f of s.files) m.set(f, await this.d.fs.read(f));
    return m;
  }

  /** Stages and validates only: what `apply` would change, without touching a file. */
  async check(sections: readonly TargetSection[]): Promise<Result<ApplyReport>> {
    return this.run(sections, null);
  }

  async apply(sections: readonly TargetSection[], meta: RevisionMeta): Promise<Result<ApplyReport>> {
    return this.run(sections, meta);
  }

  private async run(sections: readonly TargetSection[], meta: RevisionMeta | null): Promise<Result<ApplyReport>> {
    const { fs } = this.d;
    const pending = await this.recover();
    if (pending.action !== 'none' && pending.action !== 'cleaned') {
      return fail('INTERRUPTED', `an interrupted apply was just ${pending.action}; push again`, this.txn);
    }
    const touched: TargetSection[] = [];
    const unchanged: string[] = [];
    const changedFiles: TargetFile[] = [];
    for (const s of sections) {
      const diff: TargetFile[] = [];
      for (const f of s.files) {
        const cur = await fs.read(f.path);
        const mode = await fs.mode(f.path);
        const same = f.content === null ? cur === null : cur !== null && cur.equals(f.content) && mode === f.mode;
        if (!same) diff.push(f);
      }
      if (diff.length > 0) {
        touched.push(s);
        changedFiles.push(...diff);
      } else unchanged.push(s.spec.name);
    }
    const report = { changed: touched.map((s) => s.spec.name), unchanged };
    if (touched.length === 0) return ok(report);

    try {
      await fs.remove(this.txn);
      await fs.mkdirs(this.txn);
      const validated = await this.stageAndValidate(touched);
      if (!validated.ok || meta === null) {
        await this.dropTxn();
        return validated.ok ? ok(report) : validated;
      }

      const files: JournalFile[] = [];
      for (const [n, f] of changedFiles.entries()) {
        const old = await fs.read(f.path);
        const oldMode = (await fs.mode(f.path)) ?? 0;
        if (old) await fs.writeDurable(join(this.txn, `old-${n}`), old, 0o600);
        if (f.content) await fs.writeDurable(join(this.txn, `new-${n}`), f.content, 0o600);
        files.push({ path: f.path, n, hadOld: old !== null, oldMode, present: f.content !== null, mode: f.mode });
      }
      await fs.syncDir(this.txn);
      const apply = touched.filter((s) => s.spec.apply).map((s) => ({ section: s.spec.name, argv: withFile(s.spec.apply!, s.spec.files[0]) }));
      const journal: Journal = { format: 1, phase: 'prepared', meta, files, apply };
      await this.writeJournal(journal);

      const failure = await this.installAndApply(touched, journal);
      if (failure) {
        const back = await this.rollBack(journal);
        const also = back.length > 0 ? ` Restoring the old files worked, but re-applying them failed: ${back.join('; ')}` : '';
        return { ok: false, error: { ...failure, message: `${failure.message}. The previous files were restored.${also}` } };
      }
      await this.writeJournal({ ...journal, phase: 'committed' });
      await this.dropTxn();
      return ok(report);
    } catch (e) {
      const back = await this.recover().catch((r: unknown) => ({ action: 'cleaned', problems: [messageOf(r)] }) as RecoveryReport);
      return fail('APPLY_IO', `could not install the revision: ${messageOf(e)} (recovery: ${back.action}${back.problems.length ? `, ${back.problems.join('; ')}` : ''})`, this.txn);
    }
  }

  private async stageAndValidate(touched: readonly TargetSection[]): Promise<Result<void>> {
    for (const [i, s] of touched.entries()) {
      if (!s.spec.validate) continue;
      const first = s.files.find((f) => f.path === s.spec.files[0]);
      if (!first?.content) continue;
      const staged = join(this.txn, `stage-${i}-${s.spec.files[0].split('/').pop()}`);
      await this.d.fs.writeDurable(staged, first.content, 0o600);
      const argv = withFile(s.spec.validate, staged);
      const r = await this.d.exec(argv, this.d.commandTimeoutMs);
      if (r.code !== 0) return fail('VALIDATE', `section "${s.spec.name}" failed validation, nothing was changed: ${describeFailure(argv, r).split(staged).join(s.spec.files[0])}`, s.spec.name);
    }
    return ok(undefined);
  }

  private async installAndApply(touched: readonly TargetSection[], j: Journal): Promise<SyncError | null> {
    const { fs } = this.d;
    for (const f of j.files) {
      if (f.present) {
        const data = await fs.read(join(this.txn, `new-${f.n}`));
        await atomicWrite(fs, f.path, data ?? Buffer.alloc(0), f.mode);
      } else await atomicRemove(fs, f.path);
    }
    for (const a of j.apply) {
      const r = await this.d.exec(a.argv, this.d.commandTimeoutMs);
      if (r.code !== 0) return { code: 'APPLY', message: `section "${a.section}": ${describeFailure(a.argv, r)}`, where: a.section };
    }
    for (const s of touched) {
      for (const f of s.files) {
        const now = await fs.read(f.path);
        const same = f.content === null ? now === null : now !== null && now.equals(f.content);
        if (!same) return { code: 'VERIFY', message: `section "${s.spec.name}": ${f.path} does not hold the new content after apply (something else rewrote it)`, where: f.path };
      }
      if (s.spec.verify) {
        const argv = withFile(s.spec.verify, s.spec.files[0]);
        const r = await this.d.exec(argv, this.d.commandTimeoutMs);
        if (r.code !== 0) return { code: 'VERIFY', message: `section "${s.spec.name}" did not verify after apply: ${describeFailure(argv, r)}`, where: s.spec.name };
      }
    }
    return null;
  }

  /** Puts the backed-up files back and re-runs apply so the services run the old configuration; returns problems. */
  private async rollBack(j: Journal): Promise<string[]> {
    const { fs } = this.d;
    for (const f of j.files) {
      await fs.remove(`${f.path}.carpdeck-tmp`);
      if (f.hadOld) {
        const data = await fs.read(join(this.txn, `old-${f.n}`));
        await atomicWrite(fs, f.path, data ?? Buffer.alloc(0), f.oldMode);
      } else await atomicRemove(fs, f.path);
    }
    await this.dropTxn();
    return this.reapply(j);
  }

  private async rollForward(j: Journal): Promise<string[]> {
    const { fs } = this.d;
    for (const f of j.files) {
      await fs.remove(`${f.path}.carpdeck-tmp`);
      if (f.present) {
        const data = await fs.read(join(this.txn, `new-${f.n}`));
        const cur = await fs.read(f.path);
        if (!data) throw new Error(`the journal's copy of ${f.path} is missing`);
        if (!cur || !cur.equals(data) || (await fs.mode(f.path)) !== f.mode) await atomicWrite(fs, f.path, data, f.mode);
      } else await atomicRemove(fs, f.path);
    }
    await this.dropTxn();
    return this.reapply(j);
  }

  private async reapply(j: Journal): Promise<string[]> {
    const problems: string[] = [];
    for (const a of j.apply) {
      const r = await this.d.exec(a.argv, this.d.commandTimeoutMs);
      if (r.code !== 0) problems.push(`section "${a.section}": ${describeFailure(a.argv, r)}`);
    }
    return problems;
  }

  /** Settles a transaction left by a crash: called at start and before every apply. */
  async recover(): Promise<RecoveryReport> {
    const { fs } = this.d;
    const raw = await fs.read(this.journalPath);
    if (raw === null) {
      if ((await fs.list(this.d.dir)).includes('txn')) {
        await this.dropTxn();
        return { action: 'cleaned', problems: [] };
      }
      return { action: 'none', problems: [] };
    }
    const j = JSON.parse(raw.toString('utf8')) as Journal;
    if (j.phase === 'committed') return { action: 'rolled-forward', meta: j.meta, problems: await this.rollForward(j) };
    return { action: 'rolled-back', meta: j.meta, problems: await this.rollBack(j) };
  }

  private async writeJournal(j: Journal): Promise<void> {
    await atomicWrite(this.d.fs, this.journalPath, Buffer.from(JSON.stringify(j)), 0o600);
  }

  /** Removing the journal first makes the end of the transaction one durable unlink. */
  private async dropTxn(): Promise<void> {
    await atomicRemove(this.d.fs, this.journalPath);
    await this.d.fs.remove(this.txn);
    await this.d.fs.syncDir(this.d.dir);
  }
}
