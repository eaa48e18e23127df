// `carpdeck`: the scriptable face of CarpDeck. Each subcommand lives in commands/<name>.ts and returns an exit code.
import { CliError, type Command } from './command.js';

const commands: Record<string, () => Promise<Command>> = {
  analyze: async () => (await import('./commands/analyze.js')).analyze,
  'capture-rights': async () => (await import('./commands/capture-rights.js')).captureRights,
  deploy: async () => (await import('./commands/deploy.js')).deploy,
  discover: async () => (await import('./commands/discover.js')).discover,
  events: async () => (await import('./commands/events.js')).events,
  failover: async () => (await import('./commands/failover.js')).failover,
  'known-hosts': async () => (await import('./commands/known-hosts.js')).knownHosts,
  lab: async () => (await import('./commands/lab.js')).lab,
  maintenance: async () => (await import('./commands/maintenance.js')).maintenance,
  pair: async () => (await import('./commands/pair.js')).pair,
  report: async () => (await import('./commands/report.js')).report,
  serve: async () => (await import('./commands/serve.js')).serve,
  status: async () => (await import('./commands/status.js')).status,
  uninstall: async () => (await import('./commands/uninstall.js')).uninstall,
};

const usage = `usage: carpdeck <command> [options]

offline:
  analyze FILE [--json] [--secret VHID:PASSWORD[@VIP[,VIP...]]]   diagnose a capture file (pcap/pcapng)
  report REPORT.json [--html OUT]                                  render a saved commissioning report as HTML

on the segment:
  discover --interface IF [--json] [--follow]                      list every CARP/VRRP group, its master, problems
  discover --list-interfaces                                       interfaces and which one sees HA traffic
  capture-rights status|grant|revoke [--user NAME]                 let a normal user capture (Linux; grant as root)

firewalls over SSH (--node USER@HOST, -i KEYFILE, --yes):
  deploy --config FILE | --rollback                                install or update carpd and its config
  status [--json]                                                  state of every vhid on the nodes
  events [--follow] [--since SEQ] [--json]                         merged failover/demotion events
  maintenance on|off                                               move the VIPs off a node and back
  failover                                                         hand the VIPs to the other node
  uninstall                                                        remove carpd, its VIPs and files
  pair --primary U@H --secondary U@H [--drill] [--report FILE]     preflight, plan, apply, verify, drill a new pair
  known-hosts list|forget|replace HOST[:PORT] [--fingerprint FP]   pinned host keys; trust a key that changed

app and practice:
  serve [--port N] [--open]                                        serve the CarpDeck UI on 127.0.0.1
  lab up|down|status [--json]                                      a practice pair in network namespaces (root)

Run "carpdeck <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage + '\n');
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`carpdeck: unknown command "${name}"\n\n${usage}\n`);
    return 2;
  }
  const command = await load();
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`carpdeck: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`carpdeck: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 70;
    }
  },
);
