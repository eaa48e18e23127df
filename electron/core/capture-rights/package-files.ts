// What the grant assembles the standalone helper from, found in the installed CarpDeck package.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface PackageFiles {
  version: string;
  capNode: string;
  postject: string;
}

export function packageFiles(from = __filename): PackageFiles {
  const req = createRequire(from);
  const dirOf = (pkg: string): string => {
    try {
      return path.dirname(req.resolve(`${pkg}/package.json`));
    } catch {
      return path.join('node_modules', pkg);
    }
  };
  return {
    version: carpdeckVersion(path.dirname(from)),
    capNode: path.join(dirOf('cap'), 'build', 'Release', 'cap.node'),
    postject: path.join(dirOf('postject'), 'dist', 'cli.js'),
  };
}

function carpdeckVersion(start: string): string {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (!existsSync(pkg)) continue;
    const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
    if (json.name === 'carpdeck') return json.version ?? 'unknown';
  }
  return 'unknown';
}
