import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { configSchema, vhidsFileSchema, type CarpdConfig } from './schema.js';

export interface ConfigError {
  code: 'config-unreadable' | 'config-json' | 'config-invalid';
  /** For people: every problem, one per line. */
  message: string;
  /** The file, and the field path or line:column when known. */
  where: string;
}

export type ConfigResult = { ok: true; config: CarpdConfig; warnings: string[] } | { ok: false; error: ConfigError };

export function loadConfigFile(file: string): ConfigResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ok: false, error: { code: 'config-unreadable', where: file, message: `${file}: cannot read the config file (${err.code ?? err.message})` } };
  }
  return parseConfigText(text, file);
}

export function parseConfigText(text: string, file: string): ConfigResult {
  const main = validate(configSchema, text, file, 'config');
  if (!main.ok) return main;
  const config = main.value;
  if (config.vhidsFile === undefined) return { ok: true, config, warnings: configWarnings(config.vhids, file) };
  const vhidsFile = resolve(dirname(file), config.vhidsFile);
  let vhidsText: string;
  try {
    vhidsText = readFileSync(vhidsFile, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const where = `${file}: vhidsFile`;
    return { ok: false, error: { code: 'config-unreadable', where, message: `${where}: cannot read the vhids file ${vhidsFile} (${err.code ?? err.message})` } };
  }
  const fromFile = validate(vhidsFileSchema, vhidsText, vhidsFile, 'vhids file');
  if (!fromFile.ok) return fromFile;
  const vhids = fromFile.value.vhids;
  return { ok: true, config: { ...config, vhids }, warnings: configWarnings(vhids, vhidsFile) };
}

function validate<T extends z.ZodType>(schema: T, text: string, file: string, what: string): { ok: true; value: z.output<T> } | { ok: false; error: ConfigError } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const { line, column } = jsonErrorPosition(text, (e as Error).message);
    const where = `${file}:${line}:${column}`;
    const detail = (e as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    return { ok: false, error: { code: 'config-json', where, message: `${where}: not valid JSON: ${detail}` } };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(formatIssue);
    return {
      ok: false,
      error: { code: 'config-invalid', where: `${file}: ${formatPath(parsed.error.issues[0].path)}`, message: `${file}: invalid ${what}:\n  ${lines.join('\n  ')}` },
    };
  }
  return { ok: true, value: parsed.data };
}

function configWarnings(vhids: CarpdConfig['vhids'], file: string): string[] {
  const out: string[] = [];
  vhids.forEach((v, i) => {
    const len = new TextEncoder().encode(v.password).length;
    if (len > 19) out.push(`${file}: vhids[${i}].password: ${len} bytes; only the first 19 are used (as FreeBSD, OpenBSD and ucarp do)`);
    if (v.password === '') out.push(`${file}: vhids[${i}].password: empty; any host on the segment can take over vhid ${v.vhid}`);
  });
  return out;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${path || '(top level)'}: unknown field${issue.keys.length > 1 ? 's' : ''} ${keys} (misspelt? unknown fields are not ignored)`;
  }
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return `${path}: is required (${issue.message.replace(/^Invalid input: /, '')})`;
  }
  return `${path || '(top level)'}: ${issue.message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function jsonErrorPosition(text: string, message: string): { line: number; column: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const m = /position (\d+)/.exec(message);
  const pos = m ? Number(m[1]) : text.length;
  let line = 1;
  let column = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}
