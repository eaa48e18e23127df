// Type-checks every zone with its own tsconfig (zones are enforced by `lib`, `types` and `paths`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const zones = ['shared', 'renderer', 'electron', 'electron/main', 'daemon', 'test'];
let failed = 0;
for (const zone of zones) {
  if (!existsSync(`${zone}/tsconfig.json`)) continue;
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', zone], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`typecheck: zone ${zone} has errors`);
  }
}
process.exit(failed ? 1 : 0);
