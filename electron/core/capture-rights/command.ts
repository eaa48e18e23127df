// The command line that runs this CarpDeck's CLI, for the fixes it prints: "carpdeck" when that is what PATH
// finds, otherwise Node and the bin shim by full path, so the command shown works when pasted.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { findTool } from './system.js';

export function cliCommand(bin = path.resolve(__dirname, '..', '..', 'bin', 'carpdeck.cjs'), envPath = process.env.PATH ?? '', node = nodeBinary()): string {
  if (!existsSync(bin)) return 'carpdeck';
  const target = realpathSync(bin);
  for (const dir of envPath.split(':').filter(Boolean)) {
    const candidate = path.join(dir, 'carpdeck');
    if (existsSync(candidate) && realpathSync(candidate) === target) return 'carpdeck';
  }
  return `${quote(node)} ${quote(bin)}`;
}

function quote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Inside Electron, process.execPath is the Electron binary, which does not run the CLI: use Node from PATH. */
function nodeBinary(): string {
  return process.versions.electron ? (findTool('node') ?? 'node') : process.execPath;
}
