// `carpdeck`: the scriptable face of CarpDeck. Each subcommand lives in commands/<name>.ts and returns an exit code.
import { CliError, type Command } from './command.js';

const commands: Record<string, () => Promise<Command>> = {
  analyze: async () => (await import('./commands/analyze.js')).analyze,
  deploy: async () => (await import('./commands/deploy.js')).deploy,
  discover: async () => (await import('./commands/discover.js')).discover,
  events: async () => (await import('./commands/events.js')).events,
  failover: async () => (await import('./commands/failover.js')).failover,
  lab: async () => (await import('./commands/lab.js')).lab,
  maintenance: async () => (await import('./commands/maintenance.js')).maintenance,
  serve: async () => (await import('./commands/serve.js')).serve,
  status: async () => (await import('./commands/status.js')).status,
  uninstall: async () => (await import('./commands/uninstall.js')).uninstall,
};

const usage = `usage: carpdeck <command> [options]

commands:
  analyze FILE [--json] [--secret VHID:PASSWORD[@VIP[,VIP...]]]   diagnose a capture file (pcap/pcapng)
  serve [--port N] [--open]                                        serve the CarpDeck UI on 127.0.0.1

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
