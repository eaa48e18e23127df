// `carpdeck lab up|down|status`: a virtual segment with two blank firewalls (sshd in their own namespaces), a client
// and a server, reachable from this host over a management link.
import { LabError } from '../../core/lab/errors.js';
import { checkLabName, DEFAULT_LAB_NAME } from '../../core/lab/layout.js';
import { tearDown } from '../../core/lab/down.js';
import { labHealth, readState } from '../../core/lab/state.js';
import { checkCanRun, labUp } from '../../core/lab/up.js';
import { formatLab, labView } from '../../core/lab/view.js';
import { CliError, type Command } from '../command.js';

export const labUsage = `usage: carpdeck lab up|down|status [--json] [--name NAME]

Builds (up), shows (status) or removes (down) a practice lab in network namespaces, as root: two blank Debian
"firewalls" fw1 and fw2, each with OpenSSH's sshd, its own /etc, /opt and /root, and LAN, WAN and sync interfaces;
a client on the LAN and a server on the WAN. This host reaches the nodes' sshd over a management link in a private
range it does not use. Log in with the printed key: ssh -i KEYFILE root@ADDRESS.

options:
  --json         print the lab as JSON (nodes with namespace, address, user, keyFile, interfaces; client; server)
  --name NAME    a second lab beside the default one (1-8 lowercase letters/digits; default ${DEFAULT_LAB_NAME})

exit status: 0 done; 1 the lab could not be built or is not up (status); 2 bad arguments.`;

export const lab: Command = async (argv) => {
  let action: string | undefined;
  let json = false;
  let name = DEFAULT_LAB_NAME;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--name') {
      if (argv[i + 1] === undefined) throw new CliError('lab: --name needs a name');
      name = argv[++i];
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(`${labUsage}\n`);
      return 0;
    } else if (!a.startsWith('-') && action === undefined) action = a;
    else throw new CliError(`lab: unexpected argument "${a}"\n\n${labUsage}`);
  }
  const badName = checkLabName(name);
  if (badName) throw new CliError(`lab: ${badName}`);
  try {
    switch (action) {
      case 'up': {
        const { state, alreadyUp } = await labUp(name);
        if (alreadyUp) process.stderr.write(`carpdeck: lab "${name}" is already up\n`);
        process.stdout.write(`${json ? JSON.stringify(labView(state), null, 2) : formatLab(state)}\n`);
        return 0;
      }
      case 'down': {
        checkCanRun();
        const r = await tearDown(name);
        if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else process.stdout.write(r.removed ? `lab "${name}" removed (${r.namespaces.length} namespaces, management link, files)\n` : `lab "${name}" is not up: nothing to remove\n`);
        return 0;
      }
      case 'status': {
        checkCanRun();
        const state = readState(name);
        if (!state) {
          if (json) process.stdout.write(`${JSON.stringify({ name, up: false, problems: [] })}\n`);
          else process.stdout.write(`lab "${name}" is not up (carpdeck lab up)\n`);
          return 1;
        }
        const { problems } = await labHealth(state);
        if (json) process.stdout.write(`${JSON.stringify({ ...labView(state), up: problems.length === 0, problems }, null, 2)}\n`);
        else process.stdout.write(`${formatLab(state)}\n${problems.length === 0 ? 'healthy' : `problems:\n  ${problems.join('\n  ')}`}\n`);
        return problems.length === 0 ? 0 : 1;
      }
      default:
        throw new CliError(`lab: ${action === undefined ? 'say up, down or status' : `unknown action "${action}" (up, down or status)`}\n\n${labUsage}`);
    }
  } catch (e) {
    if (e instanceof LabError) throw new CliError(`lab: ${e.message}`, 1);
    throw e;
  }
};
