import { createHash } from 'node:crypto';
import type { TargetSection } from './apply.js';
import type { Overrides } from './config.js';
import { fail, ok, type Result } from './errors.js';
import type { SyncFs } from './fsops.js';
import { generalize, specialize } from './overrides.js';
import type { SectionSpec } from './presets.js';

/** Bumped when the revision format or its meaning changes; a receiver refuses any other. */
export const PROTOCOL_VERSION = 1;

/** A file in the generic (placeholder) form; `content` is null when the file does not exist on the source. */
export interface GenericFile {
  path: string;
  mode: number;
  content: string | null;
}

export interface GenericSection {
  name: string;
  files: GenericFile[];
}

export interface Revision {
  protocol: number;
  source: string;
  created: string;
  /** Checksum over all sections. */
  id: string;
  sections: GenericSection[];
}

/** This node's files of one section in the generic form; every file must exist. */
export async function readSection(fs: SyncFs, spec: SectionSpec, o: Overrides): Promise<Result<GenericSection>> {
  const files: GenericFile[] = [];
  for (const path of spec.files) {
    const data = await fs.read(path);
    // A missing file on the source is far more often a mistake than a wish to delete it on the peer.
    if (data === null) return fail('MISSING_FILE', `${path} of section "${spec.name}" does not exist on this node; create it or remove the section from configSync.sections`, path);
    const text = data.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(data)) return fail('NOT_TEXT', `${path} is not UTF-8 text; only text configuration files can be synced`, path);
    const g = generalize(path, text, o);
    if (!g.ok) return g;
    files.push({ path, mode: (await fs.mode(path)) ?? 0o644, content: g.value });
  }
  return ok({ name: spec.name, files });
}

export async function readSections(fs: SyncFs, specs: readonly SectionSpec[], o: Overrides): Promise<Result<GenericSection[]>> {
  const out: GenericSection[] = [];
  for (const s of specs) {
    const r = await readSection(fs, s, o);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out);
}

/** sha256 over the section's files in the generic form: equal on both nodes exactly when they are in sync. */
export function sectionChecksum(s: GenericSection): string {
  const h = createHash('sha256');
  for (const f of [...s.files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    h.update(`${f.path}\0${f.content === null ? 'absent' : `${f.mode.toString(8)}\0${Buffer.byteLength(f.content)}\0`}`);
    if (f.content !== null) h.update(f.content);
  }
  return h.digest('hex');
}

export function makeRevision(source: string, sections: GenericSection[], created = new Date().toISOString()): Revision {
  const h = createHash('sha256');
  for (const s of sections) h.update(`${s.name}\0${sectionChecksum(s)}\n`);
  return { protocol: PROTOCOL_VERSION, source, created, id: h.digest('hex').slice(0, 16), sections };
}

/**
 * The receiver's files for a revision: its own section specs (its commands), the files rendered with its own
 * overrides. A section the receiver does not sync, or syncs with other files, is refused.
 */
export function targetsFor(rev: Revision, specs: readonly SectionSpec[], o: Overrides): Result<TargetSection[]> {
  const out: TargetSection[] = [];
  for (const s of rev.sections) {
    const spec = specs.find((x) => x.name === s.name);
    if (!spec) return fail('UNKNOWN_SECTION', `this node does not sync section "${s.name}"; add it to configSync.sections on both nodes`, s.name);
    const theirs = s.files.map((f) => f.path).sort().join(', ');
    const mine = [...spec.files].sort().join(', ');
    if (theirs !== mine) return fail('SECTION_MISMATCH', `section "${s.name}" has files ${theirs} on the source but ${mine} here; make the section's "files" equal on both nodes`, s.name);
    const files = [];
    for (const f of s.files) {
      if (f.content === null) {
        files.push({ path: f.path, content: null, mode: 0 });
        continue;
      }
      const r = specialize(f.path, f.content, o);
      if (!r.ok) return r;
      files.push({ path: f.path, content: Buffer.from(r.value, 'utf8'), mode: f.mode });
    }
    out.push({ spec, files });
  }
  return ok(out);
}
