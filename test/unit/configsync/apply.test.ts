import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafeApplier, type TargetSection } from '../../../daemon/configsync/apply.js';
import { realExec, type Exec } from '../../../daemon/configsync/exec.js';
import { realFs, type SyncFs } from '../../../daemon/configsync/fsops.js';
import type { SectionSpec } from '../../../daemon/configsync/presets.js';

class PowerLoss extends Error {}

/** realFs that "loses power" (throws and refuses everything after) once `budget` mutations have happened. */
function crashingFs(budget: number): SyncFs & { used: () => number } {
  let used = 0;
  const step = () => {
    if (used >= budget) throw new PowerLoss('power lost');
    used++;
  };
  return {
    read: (p) => realFs.read(p),
    mode: (p) => realFs.mode(p),
    list: (p) => realFs.list(p),
    writeDurable: async (p, d, m) => (step(), realFs.writeDurable(p, d, m)),
    rename: async (a, b) => (step(), realFs.rename(a, b)),
    remove: async (p) => (step(), realFs.remove(p)),
    syncDir: async (p) => (step(), realFs.syncDir(p)),
    mkdirs: async (p) => (step(), realFs.mkdirs(p)),
    used: () => used,
  };
}

let root: string;
let etc: string;
let state: string;
const log: string[][] = [];
const exec: Exec = async (argv, t) => {
  log.push([...argv]);
  return realExec(argv, t);
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cfgsync-apply-'));
  etc = join(root, 'etc');
  state = join(root, 'state');
  log.length = 0;
  mkdirSync(etc, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A section whose validation rejects any file containing "BAD" and whose apply copies the file to a "running" file. */
function section(name: string, files: string[], extra: Partial<SectionSpec> = {}): SectionSpec {
  return {
    name,
    files,
    validate: ['sh', '-c', '! grep -q BAD "$1"', 'validate', '{file}'],
    apply: ['cp', '{file}', `${files[0]}.running`],
    verify: null,
    ...extra,
  };
}

function target(spec: SectionSpec, contents: (string | null)[], mode = 0o640): TargetSection {
  return { spec, files: spec.files.map((path, i) => ({ path, content: contents[i] === null ? null : Buffer.from(contents[i]!), mode })) };
}

/** Everything under etc/ (names, contents, modes), to compare "exactly as it was". */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(etc).sort()) out[n] = `${(statSync(join(etc, n)).mode & 0o777).toString(8)}:${readFileSync(join(etc, n), 'utf8')}`;
  return out;
}

const meta = { revision: 'r2', source: 'fw1', created: '2026-11-26T00:00:00Z' };
const applier = (fs: SyncFs = realFs) => new SafeApplier({ fs, exec, dir: state, commandTimeoutMs: 10_000 });

describe('safe apply', () => {
  it('installs changed files with their mode, runs apply for changed sections only and leaves no transaction behind', async () => {
    const a = join(etc, 'a.conf');
    const b = join(etc, 'b.conf');
    writeFileSync(a, 'old a\n');
    writeFileSync(b, 'same b\n', { mode: 0o640 });
    const r = await applier().apply([target(section('one', [a]), ['new a\n']), target(section('two', [b]), ['same b\n'])], meta);
    expect(r).toEqual({ ok: true, value: { changed: ['one'], unchanged: ['two'] } });
    expect(readFileSync(a, 'utf8')).toBe('new a\n');
    expect(statSync(a).mode & 0o777).toBe(0o640);
    expect(readFileSync(`${a}.running`, 'utf8')).toBe('new a\n');
    expect(existsSync(`${b}.running`)).toBe(false);
    expect(existsSync(join(state, 'txn'))).toBe(false);
  });

  it('refuses a revision that fails validation and leaves every file exactly as it was, naming the section and the output', async () => {
    const a = join(etc, 'a.conf');
    writeFileSync(a, 'good\n', { mode: 0o600 });
    const before = snapshot();
    const r = await applier().apply([target(section('fw', [a]), ['BAD rule\n'])], meta);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATE');
    expect(r.error.message).toContain('section "fw" failed validation');
    expect(snapshot()).toEqual(before);
    expect(log.some((argv) => argv[0] === 'cp')).toBe(false);
    expect(existsSync(join(state, 'txn'))).toBe(false);
  });

  it('validates the staged copy, not the live file', async () => {
    const a = join(etc, 'a.conf');
    writeFileSync(a, 'BAD live file\n');
    const r = await applier().apply([target(section('fw', [a]), ['fixed\n'])], meta);
    expect(r.ok).toBe(true);
    expect(readFileSync(a, 'utf8')).toBe('fixed\n');
  });

  it('rolls every section back when one apply command fails, and re-applies the old files', async () => {
    const a = join(etc, 'a.conf');
    const b = join(etc, 'b.conf');
    writeFileSync(a, 'old a\n');
    writeFileSync(b, 'old b\n');
    const failing = section('two', [b], { apply: ['sh', '-c', 'grep -q old "$1" || { echo "service refused" >&2; exit 3; }', 'apply', '{file}'] });
    const before = snapshot();
    const r = await applier().apply([target(section('one', [a]), ['new a\n']), target(failing, ['new b\n'])], meta);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('APPLY');
    expect(r.error.message).toContain('service refused');
    expect(r.error.message).toContain('previous files were restored');
    const after = snapshot();
    // The "running" copy made by section one's apply is re-made from the old file by the rollback.
    expect(after['a.conf.running']).toContain('old a');
    delete after['a.conf.running'];
    expect(after).toEqual(before);
  });

  it('rolls back when the verify command fails after apply', async () => {
    const a = join(etc, 'a.conf');
    writeFileSync(a, 'old\n');
    const r = await applier().apply([target(section('svc', [a], { verify: ['false'] }), ['new\n'])], meta);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('VERIFY');
    expect(readFileSync(a, 'utf8')).toBe('old\n');
  });

  it('creates files that did not exist and deletes them again on rollback', async () => {
    const a = join(etc, 'sub', 'new.conf');
    const r1 = await applier().apply([target(section('n', [a], { apply: ['false'] }), ['x\n'])], meta);
    expect(r1.ok).toBe(false);
    expect(existsSync(a)).toBe(false);
    const r2 = await applier().apply([target(section('n', [a], { apply: null }), ['x\n'])], meta);
    expect(r2.ok).toBe(true);
    expect(readFileSync(a, 'utf8')).toBe('x\n');
  });

  it('check() reports what would change and runs validation without touching any file', async () => {
    const a = join(etc, 'a.conf');
    writeFileSync(a, 'old\n');
    const before = snapshot();
    expect(await applier().check([target(section('fw', [a]), ['new\n'])])).toEqual({ ok: true, value: { changed: ['fw'], unchanged: [] } });
    const bad = await applier().check([target(section('fw', [a]), ['BAD\n'])]);
    expect(bad.ok).toBe(false);
    expect(snapshot()).toEqual(before);
  });

  it('after a power loss at any step, recovery leaves all files of the old revision or all of the new', async () => {
    const a = join(etc, 'a.conf');
    const b = join(etc, 'b.conf');
    const c = join(etc, 'c.conf');
    const targets = () => [target(section('one', [a, c]), ['new a\n', null]), target(section('two', [b]), ['new b\n'], 0o600)];
    const oldState = { 'a.conf': '644:old a\n', 'b.conf': '644:old b\n', 'c.conf': '644:old c\n' };
    const newState = { 'a.conf': '640:new a\n', 'b.conf': '600:new b\n' };
    const outcomes = new Set<string>();
    for (let budget = 0; ; budget++) {
      rmSync(etc, { recursive: true, force: true });
      rmSync(state, { recursive: true, force: true });
      await realFs.mkdirs(etc);
      for (const n of ['a', 'b', 'c']) writeFileSync(join(etc, `${n}.conf`), `old ${n}\n`, { mode: 0o644 });
      const fs = crashingFs(budget);
      let finished = false;
      try {
        const r = await applier(fs).apply(targets(), meta);
        finished = r.ok;
      } catch (e) {
        expect(e).toBeInstanceOf(PowerLoss);
      }
      if (!finished) {
        // A throwing fs inside apply is caught and turned into an error value; the crash is what matters.
        const rec = await applier().recover();
        expect(['none', 'cleaned', 'rolled-back', 'rolled-forward']).toContain(rec.action);
      }
      const files = snapshot();
      for (const k of Object.keys(files)) if (k.endsWith('.running')) delete files[k];
      const isOld = JSON.stringify(files) === JSON.stringify(oldState);
      const isNew = JSON.stringify(files) === JSON.stringify(newState);
      expect(isOld || isNew, `budget ${budget}: ${JSON.stringify(files)}`).toBe(true);
      expect(existsSync(join(state, 'txn')), `budget ${budget}: transaction left`).toBe(false);
      outcomes.add(isOld ? 'old' : 'new');
      if (finished) break;
      expect(budget).toBeLessThan(200);
    }
    expect([...outcomes].sort()).toEqual(['new', 'old']);
  });

  it('recovery of a committed journal reports the revision it rolled forward to', async () => {
    const a = join(etc, 'a.conf');
    writeFileSync(a, 'old\n');
    // Count the mutations of a full apply, then crash just before the transaction is dropped.
    const counter = crashingFs(10_000);
    await applier(counter).apply([target(section('s', [a], { apply: null }), ['new\n'])], meta);
    const total = counter.used();
    writeFileSync(a, 'old\n');
    rmSync(state, { recursive: true, force: true });
    const fs = crashingFs(total - 4);
    await applier(fs).apply([target(section('s', [a], { apply: null }), ['new\n'])], meta).catch(() => undefined);
    const rec = await applier().recover();
    expect(rec.action).toBe('rolled-forward');
    expect(rec.meta).toEqual(meta);
    expect(readFileSync(a, 'utf8')).toBe('new\n');
  });
});
