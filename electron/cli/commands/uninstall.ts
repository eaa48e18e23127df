// `carpdeck uninstall`: remove carpd from a firewall: no process, no VIP, no file left.
import { uninstallFrom } from '../../core/deploy/uninstall.js';
import { knownErrorMessage } from '../../core/ssh/errors.js';
import { connectNode, nodeOptionsUsage, takeNodeOptions } from '../../core/ssh/options.js';
import { targetLabel } from '../../core/ssh/target.js';
import { ask } from '../../core/ssh/terminal.js';
import { CliError, type Command } from '../command.js';

export const uninstallUsage = `usage: carpdeck uninstall --node USER@HOST -i KEYFILE [--yes] [--json]

Stops carpd (a master bows out so the peer takes over), removes any VIP it left, then /opt/carpd, /etc/carpd,
its state directory, socket, log and service files. On a terminal it asks first (--yes: it does not).

options:
${nodeOptionsUsage}
  --json                   print the result as JSON

exit status: 0 removed (or nothing was installed); 1 failed; 2 bad arguments.`;

export const uninstall: Command = async (argv) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${uninstallUsage}\n`);
    return 0;
  }
  try {
    const { options, rest } = takeNodeOptions(argv, 'uninstall');
    const json = rest.includes('--json');
    const extra = rest.find((a) => a !== '--json');
    if (extra !== undefined) throw new CliError(`uninstall: unexpected argument "${extra}"\n\n${uninstallUsage}`);
    if (options.nodes.length === 0) throw new CliError(`uninstall: name a firewall with --node USER@HOST\n\n${uninstallUsage}`);
    for (const target of options.nodes) {
      if (!options.yes && process.stdin.isTTY) {
        const answer = await ask(`Remove carpd from ${targetLabel(target)} (a master hands its VIPs to the peer)? (yes/no) `, false);
        if (!/^y(es)?$/i.test(answer.trim())) {
          process.stdout.write(`${targetLabel(target)}: left as it is\n`);
          continue;
        }
      }
      const session = await connectNode(target, options);
      try {
        const r = await uninstallFrom(session);
        if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else process.stdout.write(`${r.node}: ${r.wasInstalled ? 'carpd removed' : 'carpd was not installed; nothing left'}${r.vipsRemoved.length ? ` (removed leftover VIPs ${r.vipsRemoved.join(', ')})` : ''}\n`);
      } finally {
        session.close();
      }
    }
    return 0;
  } catch (e) {
    const message = knownErrorMessage(e);
    if (message !== undefined) throw new CliError(`uninstall: ${message}`, 1);
    throw e;
  }
};
