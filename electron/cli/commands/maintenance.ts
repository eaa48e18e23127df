// `carpdeck maintenance on|off`: carpd's persistent maintenance mode on a firewall (a master hands over its VIPs).
import { setMaintenance } from '../../core/deploy/control.js';
import { knownErrorMessage } from '../../core/ssh/errors.js';
import { connectNode, nodeOptionsUsage, takeNodeOptions } from '../../core/ssh/options.js';
import { CliError, type Command } from '../command.js';

export const maintenanceUsage = `usage: carpdeck maintenance on|off --node USER@HOST -i KEYFILE

on: the node bows out (its VIPs move to the peer) and stays backup until "off"; persisted across restarts.

options:
${nodeOptionsUsage}

exit status: 0 done; 1 failed; 2 bad arguments.`;

export const maintenance: Command = async (argv) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${maintenanceUsage}\n`);
    return 0;
  }
  try {
    const { options, rest } = takeNodeOptions(argv, 'maintenance');
    const [mode, extra] = rest;
    if ((mode !== 'on' && mode !== 'off') || extra !== undefined) throw new CliError(`maintenance: say on or off\n\n${maintenanceUsage}`);
    if (options.nodes.length === 0) throw new CliError(`maintenance: name a firewall with --node USER@HOST\n\n${maintenanceUsage}`);
    for (const target of options.nodes) {
      const session = await connectNode(target, options);
      try {
        process.stdout.write(`${session.label}: ${await setMaintenance(session, mode === 'on')}\n`);
      } finally {
        session.close();
      }
    }
    return 0;
  } catch (e) {
    const message = knownErrorMessage(e);
    if (message !== undefined) throw new CliError(`maintenance: ${message}`, 1);
    throw e;
  }
};
