// `carpdeck failover`: move the VIPs off the current master and report when the peer has them.
import { forceFailover } from '../../core/deploy/failover.js';
import { knownErrorMessage } from '../../core/ssh/errors.js';
import { connectNode, nodeOptionsUsage, takeNodeOptions } from '../../core/ssh/options.js';
import type { SshSession } from '../../core/ssh/session.js';
import { CliError, type Command } from '../command.js';

export const failoverUsage = `usage: carpdeck failover --node USER@HOST --node USER@HOST -i KEYFILE [--json]

Puts the node that is master into maintenance (it bows out, its VIPs move to the peer) and waits until the peer
reports MASTER. The old master stays backup until "carpdeck maintenance off --node ..." on it.

options:
${nodeOptionsUsage}
  --json                   print the result as JSON

exit status: 0 the peer took over; 1 failed; 2 bad arguments.`;

export const failover: Command = async (argv) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${failoverUsage}\n`);
    return 0;
  }
  const sessions: SshSession[] = [];
  try {
    const { options, rest } = takeNodeOptions(argv, 'failover');
    const json = rest.includes('--json');
    const extra = rest.find((a) => a !== '--json');
    if (extra !== undefined) throw new CliError(`failover: unexpected argument "${extra}"\n\n${failoverUsage}`);
    if (options.nodes.length < 2) throw new CliError(`failover: name both nodes of the pair with --node\n\n${failoverUsage}`);
    for (const target of options.nodes) sessions.push(await connectNode(target, options));
    const r = await forceFailover(sessions);
    process.stdout.write(json ? `${JSON.stringify(r)}\n` : `${r.to} is master of vhid ${r.vhids.join(', ')} after ${r.seconds.toFixed(1)} s; ${r.from} is in maintenance (carpdeck maintenance off --node ${r.from} to end it)\n`);
    return 0;
  } catch (e) {
    const message = knownErrorMessage(e);
    if (message !== undefined) throw new CliError(`failover: ${message}`, 1);
    throw e;
  } finally {
    for (const s of sessions) s.close();
  }
};
