// `lab down`: every process in the lab's namespaces, the namespaces, the management link and the lab's files.
import { existsSync, readdirSync, readlinkSync, rmdirSync, rmSync } from 'node:fs';
import { LAB_ROOT, labDir } from './layout.js';
import { labNamespaces, processAlive, readState } from './state.js';
import { run } from './run.js';

export interface DownResult {
  /** False when there was nothing of this lab to remove. */
  removed: boolean;
  namespaces: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pidsIn(ns: string): Promise<number[]> {
  const r = await run(['ip', 'netns', 'pids', ns]);
  return r.stdout.split(/\s+/).filter(Boolean).map(Number);
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/** The mount-namespace holders of this lab's nodes: `sleep` processes started in a node's directory. */
function holders(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(`${dir}/`) && processAlive(pid, 'sleep');
      } catch {
        return false;
      }
    });
}

export async function tearDown(name: string): Promise<DownResult> {
  const state = readState(name);
  const namespaces = await labNamespaces(name);
  const dir = labDir(name);
  const bridge = `${name}-mgmt`;
  const hasBridge = (await run(['ip', 'link', 'show', 'dev', bridge])).code === 0;
  if (!state && namespaces.length === 0 && !existsSync(dir) && !hasBridge) return { removed: false, namespaces: [] };

  let pids = (await Promise.all(namespaces.map(pidsIn))).flat();
  signal(pids, 'SIGTERM');
  for (let i = 0; i < 20 && pids.length > 0; i++) {
    await sleep(50);
    pids = (await Promise.all(namespaces.map(pidsIn))).flat();
  }
  signal(pids, 'SIGKILL');
  signal(holders(dir), 'SIGKILL');
  for (const ns of namespaces) await run(['ip', 'netns', 'del', ns]);
  if (hasBridge) await run(['ip', 'link', 'del', 'dev', bridge]);
  rmSync(dir, { recursive: true, force: true });
  if (existsSync(LAB_ROOT) && readdirSync(LAB_ROOT).length === 0) rmdirSync(LAB_ROOT);
  return { removed: true, namespaces };
}
