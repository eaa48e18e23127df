// `carpdeck known-hosts`: the pinned SSH host keys (trust on first use). list shows them; forget drops one (as
// ssh-keygen -R); replace trusts a legitimately changed key, but only the one the host offers right now and only
// when it has the fingerprint read on the firewall's console.
import { scanHostKey } from '../../core/ssh/connect.js';
import { knownErrorMessage, SshError } from '../../core/ssh/errors.js';
import { isSha256Fingerprint } from '../../core/ssh/fingerprint.js';
import { hostLabel, KnownHostsStore, replacePinnedKey, type KnownHost } from '../../core/ssh/known-hosts.js';
import { defaultKnownHosts } from '../../core/ssh/options.js';
import { parseTarget, type SshTarget } from '../../core/ssh/target.js';
import { CliError, type Command } from '../command.js';

export const knownHostsUsage = `usage: carpdeck known-hosts list [--json]
       carpdeck known-hosts forget HOST[:PORT]
       carpdeck known-hosts replace HOST[:PORT] --fingerprint SHA256:... [--old SHA256:...]

CarpDeck pins the SSH host key of each firewall the first time it connects and refuses a changed key. After a
reinstall or a key rotation, read the new key on the firewall's console:
  ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub
and give that fingerprint to "replace": the pin is replaced only if the firewall offers exactly that key now.

  list      every pinned key: host, port, key type, fingerprint, when it was pinned
  forget    drop the pin of a host (as ssh-keygen -R); the next connection asks to trust its key again
  replace   pin the key the host offers now, if it has the --fingerprint you checked on the console

options:
  --fingerprint SHA256:...  (replace) the new key's fingerprint as ssh-keygen -lf prints it on the firewall
  --old SHA256:...          (replace) the pinned fingerprint you expect to replace (default: whatever is pinned);
                            nothing is replaced if the pin is another one
  --known-hosts FILE        pinned host keys (default ${defaultKnownHosts().replace(process.env.HOME ?? '\0', '~')})
  --json                    machine-readable output

exit status: 0 done; 1 refused or failed (nothing changed); 2 bad arguments.`;

export interface KnownHostsArgs {
  action: 'list' | 'forget' | 'replace' | 'help';
  target: SshTarget | null;
  fingerprint: string | null;
  old: string | null;
  file: string;
  json: boolean;
}

export function parseKnownHostsArgs(argv: readonly string[], file = defaultKnownHosts()): KnownHostsArgs {
  const [action, ...rest] = argv;
  const a: KnownHostsArgs = { action: 'help', target: null, fingerprint: null, old: null, file, json: false };
  if (action === undefined || action === '-h' || action === '--help') return a;
  if (action !== 'list' && action !== 'forget' && action !== 'replace') throw new CliError(`known-hosts: unknown action "${action}": use list, forget or replace\n\n${knownHostsUsage}`);
  a.action = action;
  const fingerprintValue = (opt: string, v: string | undefined): string => {
    if (v === undefined) throw new CliError(`known-hosts: ${opt} needs a fingerprint as ssh-keygen -lf prints it (SHA256:...)`);
    if (!isSha256Fingerprint(v)) throw new CliError(`known-hosts: ${opt} "${v}" is not a SHA256 fingerprint as ssh-keygen -lf prints it (SHA256: and 43 characters)`);
    return v;
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--json') a.json = true;
    else if (arg === '-h' || arg === '--help') a.action = 'help';
    else if (arg === '--known-hosts') {
      const v = rest[++i];
      if (v === undefined) throw new CliError('known-hosts: --known-hosts needs a file');
      a.file = v;
    } else if (arg === '--fingerprint' && action === 'replace') a.fingerprint = fingerprintValue(arg, rest[++i]);
    else if (arg === '--old' && action === 'replace') a.old = fingerprintValue(arg, rest[++i]);
    else if (arg.startsWith('-')) throw new CliError(`known-hosts: unknown option "${arg}" for ${action}\n\n${knownHostsUsage}`);
    else if (action !== 'list' && a.target === null) {
      try {
        a.target = parseTarget(arg);
      } catch (e) {
        throw new CliError(`known-hosts: ${(e as Error).message.replace('USER@HOST or USER@HOST:PORT', 'HOST or HOST:PORT')}`);
      }
    } else throw new CliError(`known-hosts: unexpected argument "${arg}"\n\n${knownHostsUsage}`);
  }
  if (a.action === 'help' || action === 'list') return a;
  if (!a.target) throw new CliError(`known-hosts: ${action} needs the host, e.g. carpdeck known-hosts ${action} 192.0.2.10 (or HOST:PORT)`);
  if (action === 'replace' && !a.fingerprint) throw new CliError('known-hosts: replace needs --fingerprint SHA256:... as ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub prints it on the firewall\'s console');
  return a;
}

const view = (h: KnownHost) => ({ target: hostLabel(h.host, h.port), host: h.host, port: h.port, keyType: h.type, fingerprint: h.fingerprint, pinnedAt: h.firstSeen });

function formatList(hosts: KnownHost[], file: string): string {
  if (hosts.length === 0) return `no pinned host keys in ${file}\n`;
  const rows = hosts.map((h) => [hostLabel(h.host, h.port), h.type, h.fingerprint, h.firstSeen]);
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ['HOST', 'TYPE', 'FINGERPRINT'][c].length));
  const line = (r: string[]) => r.map((v, c) => (c < 3 ? v.padEnd(widths[c]) : v)).join('  ').trimEnd();
  return [line(['HOST', 'TYPE', 'FINGERPRINT', 'PINNED']), ...rows.map(line)].join('\n') + '\n';
}

async function run(a: KnownHostsArgs): Promise<unknown> {
  const store = new KnownHostsStore(a.file);
  const target = a.target as SshTarget;
  if (a.action === 'list') {
    const hosts = store.list();
    if (!a.json) process.stdout.write(formatList(hosts, a.file));
    return { file: a.file, hosts: hosts.map(view) };
  }
  const where = hostLabel(target.host, target.port);
  if (a.action === 'forget') {
    const gone = store.forget(target.host, target.port);
    if (!a.json) process.stdout.write(gone ? `forgot ${where} (${gone.type} ${gone.fingerprint}); the next connection asks to trust its key again\n` : `no key of ${where} was pinned; nothing to forget\n`);
    return { forgotten: gone ? view(gone) : null };
  }
  const old = a.old ?? store.get(target.host, target.port)?.fingerprint;
  if (old === undefined) throw new SshError('host-key-not-pinned', `no key of ${where} is pinned, so there is nothing to replace: connect to it and compare the key it offers (trust on first use)`, where);
  const r = await replacePinnedKey(store, { host: target.host, port: target.port, expectedOld: old, newFingerprint: a.fingerprint as string }, () => scanHostKey(target));
  if (!a.json) process.stdout.write(`${where}: pinned ${r.pinned.type} ${r.pinned.fingerprint} in place of ${r.previous.type} ${r.previous.fingerprint} (pinned since ${r.previous.firstSeen})\n`);
  return { previous: view(r.previous), pinned: view(r.pinned) };
}

export const knownHosts: Command = async (argv) => {
  const a = parseKnownHostsArgs(argv);
  if (a.action === 'help') {
    process.stdout.write(`${knownHostsUsage}\n`);
    return 0;
  }
  try {
    const result = await run(a);
    if (a.json) process.stdout.write(`${JSON.stringify({ ok: true, ...(result as object) })}\n`);
    return 0;
  } catch (e) {
    const message = knownErrorMessage(e);
    if (message === undefined) throw e;
    if (a.json) {
      process.stdout.write(`${JSON.stringify({ ok: false, error: { code: (e as SshError).code, message } })}\n`);
      return 1;
    }
    throw new CliError(`known-hosts: ${message}`, 1);
  }
};
