// `carpdeck status`: carpctl status of each firewall over SSH.
import { remoteStatus, remoteStatusText } from '../../core/deploy/control.js';
import { knownErrorMessage } from '../../core/ssh/errors.js';
import { connectNode, nodeOptionsUsage, takeNodeOptions } from '../../core/ssh/options.js';
import { targetLabel } from '../../core/ssh/target.js';
import { CliError, type Command } from '../command.js';

export const statusUsage = `usage: carpdeck status --node USER@HOST [--node ...] -i KEYFILE [--json]

Per node and vhid: the state, why, demotion and counters, as carpd reports them (carpctl status over SSH).

options:
${nodeOptionsUsage}
  --json                   one JSON object: {"nodes":[{"node","status"} or {"node","error"}]}

exit status: 0 every node answered; 1 a node failed (connection, login, carpd not running); 2 bad arguments.`;

interface NodeStatus {
  node: string;
  status?: unknown;
  error?: string;
}

function describe(s: NodeStatus): string {
  if (s.error) return s.error.startsWith(`${s.node}:`) ? s.error : `${s.node}: ${s.error}`;
  return `== ${s.node}\n${String(s.status)}`;
}

export const status: Command = async (argv) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${statusUsage}\n`);
    return 0;
  }
  let parsed;
  try {
    parsed = takeNodeOptions(argv, 'status');
  } catch (e) {
    throw new CliError(knownErrorMessage(e) ?? String(e));
  }
  const { options, rest } = parsed;
  const json = rest.includes('--json');
  const extra = rest.find((a) => a !== '--json');
  if (extra !== undefined) throw new CliError(`status: unexpected argument "${extra}"\n\n${statusUsage}`);
  if (options.nodes.length === 0) throw new CliError(`status: name a firewall with --node USER@HOST\n\n${statusUsage}`);
  const results = await Promise.all(
    options.nodes.map(async (target): Promise<NodeStatus> => {
      try {
        const session = await connectNode(target, options);
        try {
          return { node: session.label, status: json ? await remoteStatus(session) : await remoteStatusText(session) };
        } finally {
          session.close();
        }
      } catch (e) {
        const message = knownErrorMessage(e);
        if (message === undefined) throw e;
        return { node: targetLabel(target), error: message };
      }
    }),
  );
  process.stdout.write(json ? `${JSON.stringify({ nodes: results }, null, 2)}\n` : `${results.map(describe).join('\n')}\n`);
  return results.some((r) => r.error) ? 1 : 0;
};
