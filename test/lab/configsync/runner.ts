// Runs one node's config sync inside a lab namespace (bundled by the test): `node runner.cjs CONFIG.json`.
// Prints "EVENT {json}" lines and "READY"; answers {"cmd":"push"|"diff"|"status"|"check"} lines on `control`.
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { configSyncSchema } from '../../../daemon/configsync/config.js';
import { ConfigSync } from '../../../daemon/configsync/service.js';

interface RunnerConfig {
  node: string;
  stateDir: string;
  control: string;
  configSync: unknown;
}

async function main(): Promise<void> {
  const rc = JSON.parse(readFileSync(process.argv[2], 'utf8')) as RunnerConfig;
  const cfg = configSyncSchema.parse(rc.configSync);
  const sync = new ConfigSync(cfg, {
    node: rc.node,
    stateDir: rc.stateDir,
    onEvent: (e) => console.log(`EVENT ${JSON.stringify(e)}`),
    log: (l) => console.log(`LOG ${l}`),
  });
  const started = await sync.start();
  if (!started.ok) {
    console.log(`START-FAILED ${JSON.stringify(started.error)}`);
    process.exit(1);
  }
  rmSync(rc.control, { force: true });
  createServer((sock) => {
    let buf = '';
    sock.on('data', async (d) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const { cmd } = JSON.parse(buf.slice(0, nl)) as { cmd: string };
      const reply = cmd === 'push' ? await sync.push() : cmd === 'diff' ? await sync.diff() : cmd === 'check' ? await sync.check() : sync.status();
      sock.end(`${JSON.stringify(reply ?? null)}\n`);
    });
  }).listen(rc.control, () => console.log('READY'));
  process.on('SIGTERM', () => void sync.stop().then(() => process.exit(0)));
}

void main();
