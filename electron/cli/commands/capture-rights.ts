// `carpdeck capture-rights`: lets one user capture without running CarpDeck as root, the way Wireshark lets the
// "wireshark" group run dumpcap. `grant` (root) installs the standalone capture helper with file capabilities for
// a group and adds the user; `revoke` undoes it; `status` says which helper discovery uses and why.
import { userInfo } from 'node:os';
import { cliCommand } from '../../core/capture-rights/command.js';
import type { Outcome } from '../../core/capture-rights/errors.js';
import { grant } from '../../core/capture-rights/grant.js';
import { packageFiles } from '../../core/capture-rights/package-files.js';
import { CAPABILITIES, capturePrefix, DEFAULT_GROUP, PREFIX_ENV } from '../../core/capture-rights/paths.js';
import { revoke } from '../../core/capture-rights/revoke.js';
import { captureRightsStatus, prefixOption, UnknownUser, type CaptureRightsStatus } from '../../core/capture-rights/status.js';
import { lookupUser } from '../../core/capture-rights/system.js';
import { defaultHelperPath } from '../../core/discovery/capture-source.js';
import { CliError, type Command } from '../command.js';

export const captureRightsUsage = `usage: carpdeck capture-rights status [--user NAME] [--json]
       sudo carpdeck capture-rights grant --user NAME
       sudo carpdeck capture-rights revoke [--user NAME]

Live discovery needs the right to capture packets. Instead of running CarpDeck as root, "grant" installs a
standalone capture helper that can do nothing but capture CARP/VRRP, state-sync and ARP/NDP traffic, gives it
${CAPABILITIES} as file capabilities (the way Wireshark does for dumpcap), lets only the group
${DEFAULT_GROUP} run it, and adds the user to that group (effective at their next login).

  status   which capture helper the user's discovery runs (granted helper, root, tcpdump fallback or none) and why
  grant    (root) install or update the helper and add --user to the group; run it again after updating CarpDeck
  revoke   (root) with --user: take that user out of the group; without: remove the helper and the group

options:
  --user NAME     the user (grant: default the one who ran sudo; status: default you)
  --prefix DIR    where the helper lives (default ${capturePrefix({})}, or $${PREFIX_ENV})
  --group NAME    the group that may run it (grant only; default ${DEFAULT_GROUP})
  --json          machine-readable output

exit status: 0 done (status: the user can capture); 1 failed (status: the user cannot capture); 2 bad arguments.`;

export interface CaptureRightsArgs {
  action: 'status' | 'grant' | 'revoke' | 'help';
  user: string | null;
  prefix: string;
  group: string;
  json: boolean;
}

export function parseCaptureRightsArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CaptureRightsArgs {
  const [action, ...rest] = argv;
  if (action === undefined || action === '-h' || action === '--help') return { action: 'help', user: null, prefix: capturePrefix(env), group: DEFAULT_GROUP, json: false };
  if (action !== 'status' && action !== 'grant' && action !== 'revoke') {
    throw new CliError(`capture-rights: unknown action "${action}": use status, grant or revoke\n\n${captureRightsUsage}`);
  }
  const a: CaptureRightsArgs = { action, user: null, prefix: capturePrefix(env), group: DEFAULT_GROUP, json: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = rest[i + 1];
    const needs = (what: string): string => {
      if (value === undefined || value.startsWith('-')) throw new CliError(`capture-rights: ${arg} needs ${what}`);
      i++;
      return value;
    };
    switch (arg) {
      case '--user':
        a.user = needs('a user name, e.g. --user alice');
        if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(a.user)) throw new CliError(`capture-rights: "${a.user}" is not a user name`);
        break;
      case '--prefix':
        a.prefix = needs('an absolute directory, e.g. --prefix /usr/local/lib/carpdeck');
        if (!a.prefix.startsWith('/')) throw new CliError(`capture-rights: --prefix must be an absolute directory, got "${a.prefix}"`);
        break;
      case '--group':
        if (action !== 'grant') throw new CliError('capture-rights: --group is for grant only (revoke and status read it from the installed helper)');
        a.group = needs('a group name');
        if (!/^[a-z_][a-z0-9_-]*$/.test(a.group)) throw new CliError(`capture-rights: "${a.group}" is not a group name (lower case letters, digits, _ and -)`);
        break;
      case '--json':
        a.json = true;
        break;
      case '-h':
      case '--help':
        a.action = 'help';
        break;
      default:
        throw new CliError(`capture-rights: unknown option "${arg}"\n\n${captureRightsUsage}`);
    }
  }
  return a;
}

/** Who a grant is for when --user is not given: the user who ran sudo or pkexec. */
export function invokingUser(env: NodeJS.ProcessEnv): string | null {
  if (env.SUDO_USER && env.SUDO_USER !== 'root') return env.SUDO_USER;
  if (env.PKEXEC_UID) return lookupUser(Number(env.PKEXEC_UID))?.name ?? null;
  return null;
}

/** The refusal for grant/revoke without root, with the exact command to run instead. */
export function needsRootMessage(a: CaptureRightsArgs, cli: string, self: string): string {
  const parts = [`sudo ${cli} capture-rights ${a.action}`];
  const user = a.user ?? (a.action === 'grant' ? self : null);
  if (user) parts.push(`--user ${user}`);
  if (a.prefix !== capturePrefix({})) parts.push(`--prefix ${a.prefix}`);
  if (a.group !== DEFAULT_GROUP) parts.push(`--group ${a.group}`);
  const note = a.action === 'grant' ? ' It installs the capture helper as root and adds the user to its group; nothing else runs as root.' : '';
  // sudo drops CARPDECK_CAPTURE_PREFIX, so a prefix other than the default goes on the command line
  return `capture-rights ${a.action} changes the system and needs root. Run:\n  ${parts.join(' ')}\n${note.trim()}`.trimEnd();
}

const USING = { granted: 'the granted capture helper', root: 'the bundled helper as root', tcpdump: 'the tcpdump fallback', none: 'none: cannot capture' } as const;

export function formatStatus(s: CaptureRightsStatus): string {
  const h = s.helper;
  const lines = [`capture for ${s.user.name}: ${USING[s.using]}`, `why: ${s.reason}`];
  if (s.fix) lines.push(`fix: ${s.fix}`);
  if (s.platform === 'linux') {
    lines.push(
      `installed helper: ${h.present ? `${h.path} (${h.ownership ? `root:${s.group} 0750` : 'wrong owner or mode'}, ${h.capabilities === null ? 'capabilities unknown' : h.capabilities || 'no capabilities'}${h.nosuid ? ', nosuid mount' : ''}${h.manifest ? `, from CarpDeck ${h.manifest.version}` : ''}${h.current === false ? ', outdated' : ''})` : `not installed in ${s.prefix}`}`,
      `group ${s.group}: ${!s.groupExists ? 'does not exist' : s.member ? `${s.user.name} is a member${s.session === false ? ' (from the next login on)' : ''}` : `${s.user.name} is not a member`}`,
      `tcpdump: ${s.tcpdump.path ? `${s.tcpdump.path} (${s.tcpdump.capabilities || 'no capabilities'})` : 'not installed'}`,
    );
  }
  return lines.join('\n') + '\n';
}

function report(outcome: Outcome, json: boolean, done: string): number {
  if (json) process.stdout.write(JSON.stringify(outcome) + '\n');
  else {
    for (const step of outcome.steps) process.stdout.write(`${step}\n`);
    if (outcome.ok) process.stdout.write(`${done}\n`);
    else process.stderr.write(`carpdeck: capture-rights: ${outcome.error.message}${outcome.error.fix ? `\n${outcome.error.fix}` : ''}\n`);
  }
  return outcome.ok ? 0 : 1;
}

export const captureRights: Command = async (argv) => {
  const a = parseCaptureRightsArgs(argv);
  if (a.action === 'help') {
    process.stdout.write(captureRightsUsage + '\n');
    return 0;
  }
  const cli = cliCommand();
  if (process.platform !== 'linux' && a.action !== 'status') {
    throw new CliError(`capture-rights ${a.action} is for Linux. Windows: install Npcap (npcap.com) with "WinPcap API-compatible mode". macOS: install Wireshark's ChmodBPF (group access_bpf) and join that group.`, 1);
  }
  if (a.action === 'status') {
    let s: CaptureRightsStatus;
    try {
      s = captureRightsStatus({ prefix: a.prefix, user: a.user ?? undefined, bundledHelper: defaultHelperPath(), cli });
    } catch (err) {
      if (err instanceof UnknownUser) throw new CliError(`capture-rights: ${err.message}`, 2);
      throw err;
    }
    process.stdout.write(a.json ? JSON.stringify(s) + '\n' : formatStatus(s));
    return s.using === 'none' ? 1 : 0;
  }
  if (process.geteuid?.() !== 0) throw new CliError(needsRootMessage(a, cli, selfName()), 1);
  if (a.action === 'revoke') return report(revoke({ prefix: a.prefix, user: a.user }), a.json, a.user ? `${a.user} can no longer run the capture helper.` : 'The capture helper and its group are gone; capturing needs root again.');
  const user = a.user ?? invokingUser(process.env);
  if (!user) throw new CliError('capture-rights: grant for which user? add --user NAME (root captures without any grant)');
  if (process.versions.electron) throw new CliError('capture-rights: grant runs from the carpdeck command line (it builds the helper from a Node binary)', 1);
  const files = packageFiles();
  const outcome = grant({ prefix: a.prefix, group: a.group, user, helperScript: defaultHelperPath(), capNode: files.capNode, postject: files.postject, node: process.execPath, version: files.version });
  return report(outcome, a.json, `${user} may capture with the helper once they log in again (or run "sg ${a.group} -c '${cli} discover ...'" now). Undo with: sudo ${cli} capture-rights revoke${prefixOption(a.prefix)}`);
};

function selfName(): string {
  try {
    return userInfo().username;
  } catch {
    return '"$USER"';
  }
}
