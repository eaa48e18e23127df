import { ControlClientError, request } from './control/client.js';
import type { ControlRequest, ControlResponse } from './control/protocol.js';
import { formatEvent, formatStatus } from './cli/format.js';

const USAGE = `usage: carpctl [--socket PATH] COMMAND
  status [--json]                       per-vhid state, skew, demotion, master, counters
  events [--follow] [--since SEQ] [--json]
  maintenance on|off                    persistent maintenance mode (a master bows out)
  demote N | demote --reset             add N to the manual demotion (may be negative) / clear it
  reload                                re-read the config file; unchanged vhids are not touched
The socket defaults to /run/carpd.sock (config "controlSocket").`;

function usage(message: string): never {
  process.stderr.write(`carpctl: ${message}\n${USAGE}\n`);
  process.exit(2);
}

interface Parsed {
  socket: string;
  req: ControlRequest;
  json: boolean;
}

function parse(argv: string[]): Parsed {
  let socket = '/run/carpd.sock';
  let json = false;
  let follow = false;
  let since: number | undefined;
  let reset = false;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--socket' || a === '-s') socket = argv[++i] ?? usage('--socket needs a path');
    else if (a.startsWith('--socket=')) socket = a.slice(9);
    else if (a === '--json') json = true;
    else if (a === '--follow' || a === '-f') follow = true;
    else if (a === '--since') {
      const v = argv[++i];
      if (!v || !/^\d+$/.test(v)) usage('--since needs a sequence number (0 or more)');
      since = Number(v);
    } else if (a === '--reset') reset = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else words.push(a);
  }
  const [cmd, arg, extra] = words;
  if (extra !== undefined) usage(`unexpected argument "${extra}"`);
  switch (cmd) {
    case 'status':
      if (arg !== undefined) usage(`unexpected argument "${arg}"`);
      return { socket, json, req: { cmd: 'status' } };
    case 'events':
      if (arg !== undefined) usage(`unexpected argument "${arg}"`);
      return { socket, json, req: { cmd: 'events', since: since ?? 0, follow } };
    case 'maintenance':
      if (arg !== 'on' && arg !== 'off') usage('maintenance needs "on" or "off"');
      return { socket, json, req: { cmd: 'maintenance', on: arg === 'on' } };
    case 'demote':
      if (reset && arg === undefined) return { socket, json, req: { cmd: 'demote-reset' } };
      if (reset || arg === undefined || !/^-?\d+$/.test(arg)) usage('demote needs a whole number N (e.g. demote 50, demote -50) or --reset');
      return { socket, json, req: { cmd: 'demote', by: Number(arg) } };
    case 'reload':
      return { socket, json, req: { cmd: 'reload' } };
    case undefined:
      return usage('no command given');
    default:
      return usage(`unknown command "${cmd}"`);
  }
}

function print(r: ControlResponse, json: boolean): number {
  if ('event' in r) {
    process.stdout.write(`${json ? JSON.stringify(r.event) : formatEvent(r.event)}\n`);
    return 0;
  }
  if (!r.ok) {
    process.stderr.write(`carpctl: ${r.error.message}\n`);
    return 1;
  }
  if ('status' in r) process.stdout.write(`${json ? JSON.stringify(r.status, null, 2) : formatStatus(r.status)}\n`);
  else if ('events' in r) for (const e of r.events) process.stdout.write(`${json ? JSON.stringify(e) : formatEvent(e)}\n`);
  else process.stdout.write(`${json ? JSON.stringify({ ok: true, message: r.message }) : r.message}\n`);
  return 0;
}

async function main(): Promise<void> {
  const p = parse(process.argv.slice(2));
  const follow = p.req.cmd === 'events' && p.req.follow === true;
  try {
    const first = await request(p.socket, p.req, follow ? (r) => print(r, p.json) : undefined);
    const code = print(first, p.json);
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
