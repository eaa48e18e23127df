// `carpdeck discover`: what HA nodes are on this segment, live. One snapshot after --duration seconds (table or
// --json), or --follow: events as they happen and the picture refreshed every second.
import type { CarpSecret } from '../../../shared/analysis/types.js';
import type { DiscoveryEvent } from '../../../shared/discovery/types.js';
import { listInterfaces, probeInterfaces } from '../../core/discovery/interfaces.js';
import { CaptureRecorder } from '../../core/discovery/recorder.js';
import { startDiscovery } from '../../core/discovery/session.js';
import { formatEvent, formatInterfaces, formatSnapshot } from '../../core/discovery/table.js';
import { parseSecret } from '../analyze-args.js';
import { CliError, type Command } from '../command.js';

export const discoverUsage = `usage: carpdeck discover --interface IF [--duration S] [--json] [--follow] [--write FILE] [--secret VHID:PASSWORD[@VIP,...]]
       carpdeck discover --list-interfaces [--probe S] [--json]

Listens on IF and shows every CARP and VRRP group on the segment: its master (address, MAC, probable vendor),
advbase/advskew or priority, measured against announced interval, demotion, state sync traffic (pfsync,
conntrackd), failovers as they happen, and what looks wrong (split brain, vhid collisions, HMAC failures with
--secret, TTL problems, silence). Nothing is sent on the network.

options:
  -i, --interface IF     the interface to listen on
  --duration S           listen S seconds (alias --seconds; default 5, or until Ctrl-C with --follow)
  --json                 one JSON object (groups, nodes, findings, sync, events); with --follow one JSON object
                         per line: {"type":"event",...} as things happen and {"type":"snapshot",...} every second
  --follow               keep listening and show changes live
  --secret VHID:PASSWORD[@VIP[,VIP...]]
                         check CARP HMACs of vhid VHID with this password (repeatable)
  --write FILE           also save what was captured as pcapng (opens in Wireshark and carpdeck analyze)
  --quiet S              say "no advertisements seen" after S seconds of silence (default 10)
  --list-interfaces      the interfaces with addresses, link state and a hint which carry HA traffic
  --probe S              how long --list-interfaces listens on each interface (default 2; 0: no listening)

exit status: 0 done; 1 the capture failed (permission, no such interface, ...); 2 bad arguments.`;

interface DiscoverArgs {
  iface?: string;
  duration?: number;
  json: boolean;
  follow: boolean;
  list: boolean;
  probe: number;
  quiet: number;
  secrets: CarpSecret[];
  write?: string;
  help: boolean;
}

function parseArgs(argv: string[]): DiscoverArgs {
  const a: DiscoverArgs = { json: false, follow: false, list: false, probe: 2, quiet: 10, secrets: [], help: false };
  const number = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min) throw new CliError(`discover: ${name} needs a number of seconds${min > 0 ? ' above 0' : ''}, got ${v === undefined ? 'nothing' : `"${v}"`}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    switch (arg) {
      case '-i':
      case '--interface':
        if (value === undefined) throw new CliError('discover: --interface needs a name (see carpdeck discover --list-interfaces)');
        a.iface = value;
        i++;
        break;
      case '--duration':
      case '--seconds':
        a.duration = number(arg, value, 0.1);
        i++;
        break;
      case '--probe':
        a.probe = number(arg, value, 0);
        i++;
        break;
      case '--quiet':
        a.quiet = number(arg, value, 0.1);
        i++;
        break;
      case '--secret':
        if (value === undefined) throw new CliError('discover: --secret needs VHID:PASSWORD[@VIP[,VIP...]]');
        a.secrets.push(parseSecret(value));
        i++;
        break;
      case '--write':
        if (value === undefined) throw new CliError('discover: --write needs a file name, e.g. --write site.pcapng');
        a.write = value;
        i++;
        break;
      case '--json':
        a.json = true;
        break;
      case '--follow':
        a.follow = true;
        break;
      case '--list-interfaces':
        a.list = true;
        break;
      case '-h':
      case '--help':
        a.help = true;
        break;
      default:
        throw new CliError(`discover: unknown option "${arg}"\n\n${discoverUsage}`);
    }
  }
  return a;
}

export const discover: Command = async (argv) => {
  const args = parseArgs(argv);
  const out = process.stdout;
  out.on('error', () => {
    // a closed pipe ends the output
  });
  if (args.help) {
    out.write(discoverUsage + '\n');
    return 0;
  }
  if (args.list) {
    let list = listInterfaces();
    if (args.probe > 0) list = await probeInterfaces(list, args.probe);
    out.write(args.json ? JSON.stringify({ interfaces: list }) + '\n' : formatInterfaces(list));
    return 0;
  }
  if (!args.iface) throw new CliError('discover: which interface? usage: carpdeck discover --interface IF (carpdeck discover --list-interfaces shows them)');
  const live = args.follow;
  const redraw = live && !args.json && Boolean(out.isTTY);
  const onEvent = (e: DiscoveryEvent) => {
    if (!live) return;
    if (args.json) out.write(JSON.stringify({ type: 'event', ...e }) + '\n');
    else if (!redraw) out.write(formatEvent(e) + '\n');
  };
  const recorder = args.write ? await openRecorder(args.write, args.iface) : null;
  const session = startDiscovery({ iface: args.iface, secrets: args.secrets, quietSeconds: args.quiet, onEvent, onFrame: recorder ? (f) => recorder.write(f) : undefined });
  const duration = args.duration ?? (live ? Infinity : 5);
  const stop = () => session.stop();
  const timer = Number.isFinite(duration) ? setTimeout(stop, duration * 1000) : undefined;
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const refresh = live
    ? setInterval(() => {
        const snap = session.snapshot();
        if (args.json) out.write(JSON.stringify({ type: 'snapshot', ...snap }) + '\n');
        else if (redraw) out.write('\x1b[H\x1b[2J' + formatSnapshot(snap));
      }, 1000)
    : undefined;
  const failure = await session.done;
  clearTimeout(timer);
  clearInterval(refresh);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  const writeError = recorder ? await recorder.close() : null;
  if (writeError) process.stderr.write(`carpdeck: discover: writing ${args.write}: ${writeError.message}\n`);
  if (failure) {
    process.stderr.write(`carpdeck: discover: ${failure.message}${failure.fix ? `\n${failure.fix}` : ''}\n`);
    return 1;
  }
  const snap = session.snapshot();
  if (args.json) out.write(JSON.stringify(live ? { type: 'snapshot', ...snap } : snap) + '\n');
  else out.write((redraw ? '\x1b[H\x1b[2J' : live ? '\n' : '') + formatSnapshot(snap));
  return writeError ? 1 : 0;
};

async function openRecorder(file: string, iface: string): Promise<CaptureRecorder> {
  try {
    return await CaptureRecorder.open(file, iface);
  } catch (err) {
    throw new CliError(`discover: cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
}
