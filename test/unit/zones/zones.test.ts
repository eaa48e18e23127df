import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Proves the zone rules of the developers' guide are enforced by the compiler and by lint, not just written down.
const root = resolve(__dirname, '../../..');
let dir: string;

beforeAll(() => {
  mkdirSync(join(root, 'test/artifacts'), { recursive: true });
  dir = mkdtempSync(join(root, 'test/artifacts/zones-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function typecheck(zone: string, source: string): string {
  const file = join(dir, `${zone.replace(/\W/g, '_')}-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, source);
  const config = join(dir, `tsconfig-${zone.replace(/\W/g, '_')}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(config, JSON.stringify({ extends: join(root, zone, 'tsconfig.json'), include: [], files: [file] }));
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { encoding: 'utf8' });
  return r.status === 0 ? '' : r.stdout + r.stderr;
}

function lint(pathInRepo: string, source: string): string {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', pathInRepo], {
    cwd: root,
    input: source,
    encoding: 'utf8',
  });
  return r.status === 0 ? '' : r.stdout + r.stderr;
}

describe('zones', () => {
  it('shared/ rejects Node APIs and globals at compile time', () => {
    expect(typecheck('shared', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toMatch(/TS2307|TS2305|Cannot find module|no exported member/);
    expect(typecheck('shared', 'export const b = Buffer.from([1]);\n')).toMatch(/Buffer/);
    expect(typecheck('shared', 'export const w = window.location;\n')).toMatch(/window/);
    expect(typecheck('shared', 'export const n = new Uint8Array(4).length;\n')).toBe('');
  });

  it('renderer/ sees the DOM but not Node', () => {
    expect(typecheck('renderer', 'export const w = document.title;\n')).toBe('');
    expect(typecheck('renderer', 'export const p = process.pid;\n')).toMatch(/process/);
  });

  it('electron services and the daemon cannot import electron; the Electron main zone can', () => {
    const src = "import { app } from 'electron';\nexport const a = app;\n";
    expect(typecheck('electron', src)).toMatch(/electron/);
    expect(typecheck('daemon', src)).toMatch(/electron/);
    expect(typecheck('electron/main', src)).toBe('');
    expect(typecheck('daemon', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toBe('');
  });

  it('lint names the zone rule when a file crosses it', () => {
    expect(lint('shared/protocol/zone-probe.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toMatch(/pure TypeScript/);
    expect(lint('renderer/src/zone-probe.ts', "import { spawn } from 'node:child_process';\nexport const s = spawn;\n")).toMatch(/DOM only/);
    expect(lint('electron/core/zone-probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toMatch(/only electron\/main/);
    expect(lint('electron/main/zone-probe.ts', "import { Cap } from 'cap';\nexport const c = Cap;\n")).toMatch(/native capture code/);
    expect(lint('shared/protocol/zone-probe.ts', 'export const ok = 1;\n')).toBe('');
  });
});
