import { ControlClientError, request } from './control/client.js';
import type { ControlResponse } from './control/protocol.js';
import { CARPCTL_USAGE, parseCarpctlArgs } from './cli/args.js';
import { formatEvent, formatStatus } from './cli/format.js';
import { formatStateSync } from './statesync/status.js';

function print(r: ControlResponse, json: boolean, view?: 'state-sync'): number {
  if ('event' in r) {
    process.stdout.write(`${json ? JSON.stringify(r.event) : formatEvent(r.event)}\n`);
    return 0;
  }
  if (!r.ok) {
    process.stderr.write(`carpctl: ${r.error.message}\n`);
    return 1;
  }
  if ('status' in r && view === 'state-sync') {
    if (!r.status.stateSync) {
      process.stderr.write('carpctl: state sync is not configured (no "stateSync" in the carpd config)\n');
      return 1;
    }
    process.stdout.write(`${json ? JSON.stringify(r.status.stateSync, null, 2) : formatStateSync(r.status.stateSync)}\n`);
  } else if ('status' in r) process.stdout.write(`${json ? JSON.stringify(r.status, null, 2) : formatStatus(r.status)}\n`);
  else if ('events' in r) for (const e of r.events) process.stdout.write(`${json ? JSON.stringify(e) : formatEvent(e)}\n`);
  else process.stdout.write(`${json ? JSON.stringify({ ok: true, message: r.message }) : r.message}\n`);
  return 0;
}

async function main(): Promise<void> {
  const p = parseCarpctlArgs(process.argv.slice(2));
  if (!p.ok) {
    process.stderr.write(`carpctl: ${p.message}\n${CARPCTL_USAGE}\n`);
    process.exit(2);
  }
  if ('help' in p) {
    process.stdout.write(`${CARPCTL_USAGE}\n`);
    return;
  }
  const follow = p.req.cmd === 'events' && p.req.follow === true;
  try {
    const first = await request(p.socket, p.req, follow ? (r) => print(r, p.json) : undefined);
    const code = print(first, p.json, p.view);
    if (!follow || code !== 0) process.exit(code);
  } catch (e) {
    if (e instanceof ControlClientError) {
      process.stderr.write(`carpctl: ${e.message}\n`);
      process.exit(e.code === 'not-running' ? 3 : 1);
    }
    throw e;
  }
}

void main();
