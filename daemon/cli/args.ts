import type { ControlRequest } from '../control/protocol.js';

export const CARPCTL_USAGE = `usage: carpctl [--socket PATH] COMMAND
  status [--json]                       per-vhid state, skew, demotion, master, counters
  events [--follow] [--since SEQ] [--json]
  maintenance on|off                    persistent maintenance mode (a master bows out)
  demote N | demote --reset             add N to the manual demotion (may be negative) / clear it
  reload                                re-read the config file; unchanged vhids are not touched
  sync-states [--resync]                conntrackd state sync status / force a full resync with the peer
  sync-config push|diff                 push the synced configuration to the peer now / show what a push would change
The socket defaults to /run/carpd.sock (config "controlSocket").`;

export type CarpctlArgs =
  | { ok: true; socket: string; json: boolean; req: ControlRequest; view?: 'state-sync' }
  | { ok: true; help: true }
  | { ok: false; message: string };

export function parseCarpctlArgs(argv: string[]): CarpctlArgs {
  let socket = '/run/carpd.sock';
  let json = false;
  let follow = false;
  let since: number | undefined;
  let reset = false;
  let resync = false;
  const words: string[] = [];
  const bad = (message: string): CarpctlArgs => ({ ok: false, message });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--socket' || a === '-s') {
      const v = argv[++i];
      if (!v) return bad('--socket needs a path');
      socket = v;
    } else if (a.startsWith('--socket=')) socket = a.slice('--socket='.length);
    else if (a === '--json') json = true;
    else if (a === '--follow' || a === '-f') follow = true;
    else if (a === '--since') {
      const v = argv[++i];
      if (!v || !/^\d+$/.test(v)) return bad('--since needs a sequence number (0 or more)');
      since = Number(v);
    } else if (a === '--reset') reset = true;
    else if (a === '--resync') resync = true;
    else if (a === '--help' || a === '-h') return { ok: true, help: true };
    else if (/^--?[a-z]/.test(a)) return bad(`unknown option ${a}`);
    else words.push(a);
  }
  const [cmd, arg, extra] = words;
  if (extra !== undefined) return bad(`unexpected argument "${extra}"`);
  const ok = (req: ControlRequest): CarpctlArgs => ({ ok: true, socket, json, req });
  switch (cmd) {
    case 'status':
      return arg === undefined ? ok({ cmd: 'status' }) : bad(`unexpected argument "${arg}"`);
    case 'events':
      return arg === undefined ? ok({ cmd: 'events', since: since ?? 0, follow }) : bad(`unexpected argument "${arg}"`);
    case 'maintenance':
      return arg === 'on' || arg === 'off' ? ok({ cmd: 'maintenance', on: arg === 'on' }) : bad('maintenance needs "on" or "off"');
    case 'demote':
      if (reset && arg === undefined) return ok({ cmd: 'demote-reset' });
      if (reset || arg === undefined || !/^-?\d+$/.test(arg)) return bad('demote needs a whole number N (e.g. demote 50, demote -50) or --reset');
      return ok({ cmd: 'demote', by: Number(arg) });
    case 'reload':
      return arg === undefined ? ok({ cmd: 'reload' }) : bad(`unexpected argument "${arg}"`);
    case 'sync-states':
      if (arg !== undefined) return bad(`unexpected argument "${arg}"`);
      return resync ? ok({ cmd: 'state-sync-resync' }) : { ok: true, socket, json, req: { cmd: 'status' }, view: 'state-sync' };
    case 'sync-config':
      if (arg === 'push') return ok({ cmd: 'config-sync-push' });
      if (arg === 'diff') return ok({ cmd: 'config-sync-diff' });
      return bad('sync-config needs "push" or "diff"');
    case undefined:
      return bad('no command given');
    default:
      return bad(`unknown command "${cmd}"`);
  }
}
