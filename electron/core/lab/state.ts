// The lab's state file (written atomically) and a health check of what it lists.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { LabState } from './layout.js';
import { stateFile } from './layout.js';
import { run } from './run.js';

export function readState(name: string): LabState | undefined {
  const file = stateFile(name);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export function writeState(state: LabState): void {
  const file = stateFile(state.name);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export function processAlive(pid: number, command: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).some((a) => a === command || a.endsWith(`/${command}`) || a === `${command}:`);
  } catch {
    return false;
  }
}

export async function labNamespaces(prefix: string): Promise<string[]> {
  const r = await run(['ip', '-json', 'netns', 'list']);
  if (r.code !== 0 || !r.stdout.trim()) return [];
  return (JSON.parse(r.stdout) as { name: string }[]).map((n) => n.name).filter((n) => n.startsWith(`${prefix}-`));
}

export interface LabHealth {
  problems: string[];
}

export async function labHealth(state: LabState): Promise<LabHealth> {
  const problems: string[] = [];
  const present = new Set(await labNamespaces(state.name));
  const expected = [state.switchNamespace, state.client.namespace, state.server.namespace, ...state.nodes.map((n) => n.namespace)];
  for (const ns of expected) if (!present.has(ns)) problems.push(`namespace ${ns} is missing`);
  if (state.nodes.length === 0) problems.push('no node was built');
  for (const n of state.nodes) {
    if (!processAlive(n.holderPid, 'sleep')) problems.push(`${n.name}'s mount namespace holder (pid ${n.holderPid}) is gone`);
    if (!processAlive(n.sshdPid, 'sshd')) problems.push(`${n.name}'s sshd (pid ${n.sshdPid}) is not running`);
  }
  const link = await run(['ip', '-json', 'addr', 'show', 'dev', state.management.bridge]);
  if (link.code !== 0) problems.push(`management bridge ${state.management.bridge} is missing`);
  return { problems };
}
