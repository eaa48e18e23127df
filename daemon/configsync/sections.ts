import type { SectionEntry } from './config.js';
import { fail, ok, type Result } from './errors.js';
import { PRESETS, type SectionSpec } from './presets.js';

/** The config's section list as full specs: presets filled in, every file in exactly one section. */
export function resolveSections(entries: readonly SectionEntry[]): Result<SectionSpec[]> {
  const specs: SectionSpec[] = [];
  const owner = new Map<string, string>();
  for (const entry of entries) {
    const e = typeof entry === 'string' ? { name: entry } : entry;
    const preset = (PRESETS as Record<string, Omit<SectionSpec, 'name'> | undefined>)[e.name];
    const files = 'files' in e && e.files ? e.files : preset?.files;
    if (!files) return fail('SECTION_FILES', `section "${e.name}" is not a preset and lists no files; add "files": ["/etc/..."]`, `configSync.sections.${e.name}`);
    const pick = (k: 'validate' | 'apply' | 'verify') => {
      const v = (e as Partial<Record<typeof k, string[] | null>>)[k];
      return v !== undefined ? v : (preset?.[k] ?? null);
    };
    for (const f of files) {
      const other = owner.get(f);
      if (other) return fail('SECTION_FILES', `${f} is in both section "${other}" and "${e.name}"; a file belongs to one section`, `configSync.sections.${e.name}`);
      owner.set(f, e.name);
    }
    specs.push({ name: e.name, files: [...files], validate: pick('validate'), apply: pick('apply'), verify: pick('verify') });
  }
  return ok(specs);
}

/** Replaces `{file}` in an argv with `file`. */
export function withFile(argv: readonly string[], file: string): string[] {
  return argv.map((a) => a.split('{file}').join(file));
}
