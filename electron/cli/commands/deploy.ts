// `carpdeck deploy`: install or update carpd on a firewall over SSH and put a config in place.
import { readFileSync } from 'node:fs';
import { localBundle } from '../../core/deploy/artifacts.js';
import { deployTo, rollback, type DeployProgress } from '../../core/deploy/install.js';
import { knownErrorMessage } from '../../core/ssh/errors.js';
import { connectNode, nodeOptionsUsage, takeNodeOptions } from '../../core/ssh/options.js';
import { CliError, type Command } from '../command.js';

export const deployUsage = `usage: carpdeck deploy --node USER@HOST -i KEYFILE --config FILE [--yes] [--json]
       carpdeck deploy --node USER@HOST -i KEYFILE --rollback [--json]

Installs carpd on the firewall (no Node.js or compiler needed there): uploads what it does not have yet (checked
by SHA-256), installs it under /opt/carpd/VERSION (the previous version is kept), validates FILE on the node with
carpd --check, puts it at /etc/carpd/carpd.json and (re)starts carpd under systemd, or under a small supervisor
where systemd does not run. Repeating it sends only the config.

options:
${nodeOptionsUsage}
  --config FILE            the carpd configuration for this node (see daemon/README.md)
  --rollback               switch back to the version installed before the last update and restart carpd
  --json                   print the result as JSON

exit status: 0 deployed; 1 failed (connection, login, host key, config rejected, carpd did not start); 2 bad arguments.`;

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

export const deploy: Command = async (argv) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${deployUsage}\n`);
    return 0;
  }
  try {
    const { options, rest } = takeNodeOptions(argv, 'deploy');
    let configFile: string | undefined;
    let json = false;
    let back = false;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--config' || rest[i] === '-c') configFile = rest[++i];
      else if (rest[i] === '--json') json = true;
      else if (rest[i] === '--rollback') back = true;
      else throw new CliError(`deploy: unexpected argument "${rest[i]}"\n\n${deployUsage}`);
    }
    if (options.nodes.length !== 1) throw new CliError(`deploy: name exactly one firewall with --node USER@HOST (each node gets its own config)\n\n${deployUsage}`);
    if (back) {
      if (configFile) throw new CliError('deploy: --rollback keeps the installed config; leave out --config');
      const session = await connectNode(options.nodes[0], options);
      try {
        const r = await rollback(session);
        process.stdout.write(json ? `${JSON.stringify(r)}\n` : `${r.node}: rolled back from ${r.from} to ${r.to}; carpd restarted\n`);
        return 0;
      } finally {
        session.close();
      }
    }
    if (!configFile) throw new CliError(`deploy: --config FILE is required\n\n${deployUsage}`);
    let configText: string;
    try {
      configText = readFileSync(configFile, 'utf8');
    } catch (e) {
      throw new CliError(`deploy: cannot read ${configFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const bundle = await localBundle();
    const session = await connectNode(options.nodes[0], options);
    try {
      let lastFile: string | undefined;
      const progress = (p: DeployProgress) => {
        if (json) return;
        if (p.phase !== 'upload') {
          if (lastFile !== undefined && process.stderr.isTTY) process.stderr.write('\n');
          lastFile = undefined;
          process.stderr.write(`${session.label}: ${p.message}\n`);
        } else if (process.stderr.isTTY) {
          process.stderr.write(`\r${session.label}: ${p.message}: ${mib(p.sent ?? 0)} of ${mib(p.total ?? 0)}\x1b[K`);
          lastFile = p.file;
        } else if (p.file !== lastFile) {
          lastFile = p.file;
          process.stderr.write(`${session.label}: ${p.message} (${mib(p.sent ?? 0)} of ${mib(p.total ?? 0)} sent so far)\n`);
        }
      };
      const result = await deployTo(session, bundle, configText, configFile, progress);
      if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const sent = result.uploadedFiles.length ? `uploaded ${result.uploadedFiles.join(', ')} (${mib(result.uploadedBytes)})` : 'nothing to upload but the config';
        process.stdout.write(`${result.node}: carpd ${result.version} under ${result.serviceManager}; ${sent}; config ${result.configChanged ? 'changed' : 'unchanged'}; ${result.restarted ? 'carpd (re)started' : 'carpd left running'}${result.previous && result.previous !== result.version ? `; previous ${result.previous} kept` : ''}\n`);
      }
      return 0;
    } finally {
      session.close();
    }
  } catch (e) {
    const message = knownErrorMessage(e);
    if (message !== undefined) throw new CliError(`deploy: ${message}`, 1);
    throw e;
  }
};
