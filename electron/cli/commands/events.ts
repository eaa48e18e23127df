// `carpdeck events`: the event log of one or more firewalls, merged in time order; --follow keeps streaming,
// reconnecting with backoff and resuming each node after its last sequence number.
import { followEvents, installedFacts } from '../../core/deploy/control.js';
import { EventMerger, type NodeEvent } from '../../core/deploy/events.js';
import { DeployError } from '../../core/deploy/errors.js';
import { carpctlArgv } from '../../core/deploy/layout.js';
import { knownErrorMessage } from '../../core/ssh/errors.js';
import { connectNode, nodeOptionsUsage, takeNodeOptions } from '../../core/ssh/options.js';
import { keepConnected } from '../../core/ssh/reconnect.js';
import { targetLabel } from '../../core/ssh/target.js';
import { CliError, type Command } from '../command.js';

export const eventsUsage = `usage: carpdeck events --node USER@HOST [--node ...] -i KEYFILE [--follow] [--since SEQ] [--json]

The state and demotion changes of each node with their causes, merged in time order. --follow keeps watching;
a dropped connection is retried (1 s doubling to 30 s) and resumes after the last event seen, without gaps or
repeats.

options:
${nodeOptionsUsage}
  --follow                 keep streaming until Ctrl-C
  --since SEQ              start after this sequence number (each node)
  --json                   one JSON object per line: the event plus "source" (USER@HOST)

exit status: 0 done; 1 a node failed (connection, login, carpd not installed); 2 bad arguments.`;

function format(e: NodeEvent): string {
  const change = `${String(e.old ?? '')} -> ${String(e.new ?? '')}`;
  const cause = typeof e.cause === 'string' ? e.cause : '';
  const what = e.kind === 'state' ? `vhid ${String(e.vhid)}` : String(e.kind);
  return `${e.time} ${e.source} #${e.seq} ${what} ${cause.startsWith(change) ? cause : `${change}${cause ? `: ${cause}` : ''}`}`;
}

export const events: Command = async (argv) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${eventsUsage}\n`);
    return 0;
  }
  try {
    const { options, rest } = takeNodeOptions(argv, 'events');
    let follow = false;
    let json = false;
    let since = 0;
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      if (a === '--follow' || a === '-f') follow = true;
      else if (a === '--json') json = true;
      else if (a === '--since' && /^\d+$/.test(rest[i + 1] ?? '')) since = Number(rest[++i]);
      else throw new CliError(`events: unexpected argument "${a}"${a === '--since' ? ' (--since needs a sequence number)' : ''}\n\n${eventsUsage}`);
    }
    if (options.nodes.length === 0) throw new CliError(`events: name a firewall with --node USER@HOST\n\n${eventsUsage}`);
    const merger = new EventMerger((e) => process.stdout.write(`${json ? JSON.stringify(e) : format(e)}\n`), follow ? 60 : 0);
    for (const t of options.nodes) merger.seed(targetLabel(t), since);

    if (!follow) {
      await Promise.all(
        options.nodes.map(async (target) => {
          const session = await connectNode(target, options);
          try {
            const { controlSocket } = await installedFacts(session);
            const r = await session.exec([...carpctlArgv(controlSocket), 'events', '--since', String(since), '--json']);
            if (r.code !== 0) throw new CliError(`events: ${session.label}: ${(r.stderr || r.stdout).replace(/^carpctl: /, '').trim()}`, 1);
            for (const line of r.stdout.split('\n').filter(Boolean)) merger.push(session.label, JSON.parse(line) as Record<string, unknown>);
          } finally {
            session.close();
          }
        }),
      );
      merger.flush(true);
      return 0;
    }

    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort());
    process.once('SIGTERM', () => abort.abort());
    const timer = setInterval(() => merger.flush(), 20);
    try {
      await Promise.all(
        options.nodes.map((target) => {
          const label = targetLabel(target);
          return keepConnected({
            signal: abort.signal,
            connect: () => connectNode(target, options),
            onState: (s) => {
              if (s.state === 'backoff') process.stderr.write(`carpdeck: ${label}: ${s.error}; reconnecting in ${(s.delayMs / 1000).toFixed(1)} s\n`);
            },
            use: async (session) => {
              const stream = await followEvents(session, merger.since(label), (e) => merger.push(label, e), (line) => process.stderr.write(`${label}: ${line}\n`));
              const end = await Promise.race([stream.done, session.closed.then(() => ({ code: null }))]);
              stream.stop();
              if (end.code === 3) throw new DeployError('not-running', `${label}: carpd is not running`, label);
              if (end.code) throw new DeployError('remote-failed', `${label}: carpctl events ended with status ${end.code}`, label);
            },
          });
        }),
      );
    } finally {
      clearInterval(timer);
      merger.flush(true);
    }
    return 0;
  } catch (e) {
    const message = knownErrorMessage(e);
    if (message !== undefined) throw new CliError(`events: ${message}`, 1);
    throw e;
  }
};
