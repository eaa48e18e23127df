// Command-line options naming nodes, as ssh takes them: --node USER@HOST[:PORT] (repeatable), -i/--identity KEYFILE,
// --password-file FILE (or $CARPDECK_SSH_PASSWORD), --known-hosts FILE, --yes. Shared by every node command.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connectSsh, parsePrivateKey, type SshAuth } from './connect.js';
import { SshError } from './errors.js';
import { KnownHostsStore } from './known-hosts.js';
import { pinnedPrompter, type SshPrompter } from './prompter.js';
import type { SshSession } from './session.js';
import { parseTarget, type SshTarget } from './target.js';
import { terminalPrompter } from './terminal.js';

export interface NodeOptions {
  nodes: SshTarget[];
  identity?: string;
  passwordFile?: string;
  knownHosts: string;
  yes: boolean;
  /** Fingerprints a first-seen host key must match (instead of asking or --yes). */
  hostKeys: string[];
}

export const nodeOptionsUsage = `  --node USER@HOST[:PORT]  the firewall (repeatable where several nodes make sense)
  -i, --identity KEYFILE   private key for the login (as ssh -i)
  --password-file FILE     the login password from a file (or $CARPDECK_SSH_PASSWORD); a terminal is asked
                           for keyboard-interactive answers when the server wants them
  --known-hosts FILE       pinned host keys (default ~/.config/carpdeck/known-hosts.json)
  --host-key SHA256:...    accept a first-seen host key only if it has this fingerprint (repeatable)
  --yes                    accept a host key seen for the first time (its fingerprint is printed) and skip
                           confirmations; a CHANGED host key is refused even then`;

export function defaultKnownHosts(): string {
  return process.env.CARPDECK_KNOWN_HOSTS ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'carpdeck', 'known-hosts.json');
}

/** Takes the node options out of argv; returns them and the remaining arguments. Throws SshError on bad values. */
export function takeNodeOptions(argv: readonly string[], command: string): { options: NodeOptions; rest: string[] } {
  const options: NodeOptions = { nodes: [], knownHosts: defaultKnownHosts(), yes: false, hostKeys: [] };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new SshError('bad-target', `${command}: ${a} needs a value`, a);
      return v;
    };
    if (a === '--node' || a === '-n') options.nodes.push(parseTarget(value()));
    else if (a === '-i' || a === '--identity') options.identity = value();
    else if (a === '--password-file') options.passwordFile = value();
    else if (a === '--known-hosts') options.knownHosts = value();
    else if (a === '--yes' || a === '-y') options.yes = true;
    else if (a === '--host-key') {
      const fp = value();
      if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(fp)) throw new SshError('bad-target', `${command}: --host-key takes a fingerprint as ssh-keygen -lf prints it (SHA256:...), got "${fp}"`, fp);
      options.hostKeys.push(fp);
    }
    else rest.push(a);
  }
  return { options, rest };
}

function defaultPrompter(options: NodeOptions): SshPrompter {
  const terminal = terminalPrompter(options.yes && options.hostKeys.length === 0);
  return options.hostKeys.length > 0 ? pinnedPrompter(options.hostKeys, terminal, (line) => process.stderr.write(`carpdeck: ${line}\n`)) : terminal;
}

export function authFrom(options: NodeOptions): SshAuth {
  const auth: SshAuth = {};
  if (options.identity) {
    try {
      auth.privateKey = readFileSync(options.identity, 'utf8');
    } catch (e) {
      throw new SshError('bad-key-file', `cannot read the key file ${options.identity}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, options.identity);
    }
    auth.passphrase = process.env.CARPDECK_SSH_PASSPHRASE;
    parsePrivateKey(auth.privateKey, auth.passphrase, options.identity);
  }
  if (options.passwordFile) {
    try {
      auth.password = readFileSync(options.passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      throw new SshError('no-credentials', `cannot read the password file ${options.passwordFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, options.passwordFile);
    }
  } else if (process.env.CARPDECK_SSH_PASSWORD !== undefined) auth.password = process.env.CARPDECK_SSH_PASSWORD;
  return auth;
}

export function connectNode(target: SshTarget, options: NodeOptions, prompter: SshPrompter = defaultPrompter(options)): Promise<SshSession> {
  return connectSsh({ target, auth: authFrom(options), knownHosts: new KnownHostsStore(options.knownHosts), prompter });
}
