// Which capture helper a user's discovery runs, and why: the granted standalone helper, the bundled helper as
// root, tcpdump holding capture rights of its own, or none (with what is missing).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { fileCapabilities, findTool, grantsCapture, lookupGroup, lookupUser, onNosuidMount } from './system.js';
import { DEFAULT_GROUP, DEFAULT_PREFIX, layout, PREFIX_ENV, type Layout } from './paths.js';

export type HelperChoice = 'granted' | 'root' | 'tcpdump' | 'none';

export interface Manifest {
  version: string;
  group: string;
  /** sha256 of the bundled helper script embedded at grant time. */
  helperSha256: string;
  node: string;
  installed: string;
}

export interface InstalledHelper {
  path: string;
  present: boolean;
  /** root-owned, in the group, mode 0750. */
  ownership: boolean;
  /** getcap's text; null when getcap is missing. */
  capabilities: string | null;
  nosuid: boolean;
  manifest: Manifest | null;
  /** Embeds the same helper as this CarpDeck; null when that cannot be told. */
  current: boolean | null;
}

export interface CaptureRightsStatus {
  platform: NodeJS.Platform;
  user: { name: string; uid: number };
  prefix: string;
  group: string;
  groupExists: boolean;
  /** In the group per the account database. */
  member: boolean;
  /** The group is active in this process (null when asking about another user). */
  session: boolean | null;
  helper: InstalledHelper;
  tcpdump: { path: string | null; capabilities: string | null };
  using: HelperChoice;
  reason: string;
  /** What to do so the granted helper is used; absent when it is or as root. */
  fix?: string;
}

export interface StatusOptions {
  prefix: string;
  /** Another user than the one running this (root asking about --user). */
  user?: string;
  /** The bundled helper script, to tell an outdated install. */
  bundledHelper?: string;
  /** The exact command that runs the CLI (for the fix). */
  cli?: string;
  platform?: NodeJS.Platform;
}

export class UnknownUser extends Error {}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function readManifest(l: Layout): Manifest | null {
  try {
    return JSON.parse(readFileSync(l.manifest, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

export function captureRightsStatus(opts: StatusOptions): CaptureRightsStatus {
  const platform = opts.platform ?? process.platform;
  const l = layout(opts.prefix);
  const self = opts.user === undefined;
  const account = lookupUser(self ? process.geteuid!() : opts.user!);
  if (!account) throw new UnknownUser(`there is no user "${opts.user}"`);
  const manifest = readManifest(l);
  const groupName = manifest?.group ?? DEFAULT_GROUP;
  const group = lookupGroup(groupName);
  const member = group !== null && (group.members.includes(account.name) || account.gid === group.gid);
  const session = self ? group !== null && (process.getgroups!().includes(group.gid) || process.getegid!() === group.gid) : null;
  const present = existsSync(l.helper);
  const st = present ? statSync(l.helper) : null;
  const helper: InstalledHelper = {
    path: l.helper,
    present,
    ownership: st !== null && group !== null && st.uid === 0 && st.gid === group.gid && (st.mode & 0o777) === 0o750,
    capabilities: present ? fileCapabilities(l.helper) : null,
    nosuid: present && onNosuidMount(realpathSync(l.helper)),
    manifest,
    current: manifest && opts.bundledHelper && existsSync(opts.bundledHelper) ? manifest.helperSha256 === sha256File(opts.bundledHelper) : null,
  };
  const tcpdumpPath = findTool('tcpdump');
  const tcpdump = { path: tcpdumpPath, capabilities: tcpdumpPath ? fileCapabilities(tcpdumpPath) : null };
  const base = { platform, user: { name: account.name, uid: account.uid }, prefix: opts.prefix, group: groupName, groupExists: group !== null, member, session, helper, tcpdump };
  return { ...base, ...decide(base, opts.cli ?? 'carpdeck') };
}

/** sudo drops CARPDECK_CAPTURE_PREFIX, so commands for another prefix name it. */
export function prefixOption(prefix: string): string {
  return prefix === DEFAULT_PREFIX ? '' : ` --prefix ${prefix}`;
}

type Facts = Omit<CaptureRightsStatus, 'using' | 'reason' | 'fix'>;

export function decide(s: Facts, cli: string): Pick<CaptureRightsStatus, 'using' | 'reason' | 'fix'> {
  if (s.platform === 'win32') return { using: 'none', reason: 'Windows: capturing goes through Npcap, not through capabilities.', fix: 'Install Npcap (npcap.com) with "WinPcap API-compatible mode"; if it is restricted to Administrators, run CarpDeck as Administrator.' };
  if (s.platform === 'darwin') return { using: 'none', reason: 'macOS: capturing needs read access to /dev/bpf*.', fix: 'Install Wireshark\'s ChmodBPF package (it creates the access_bpf group and gives it /dev/bpf*), join access_bpf, then log in again.' };
  if (s.user.uid === 0) return { using: 'root', reason: `${s.user.name} runs as root: the bundled helper captures directly, nothing to grant.` };
  const grant = `sudo ${cli} capture-rights grant --user ${s.user.name}${prefixOption(s.prefix)}`;
  const h = s.helper;
  const capsOk = h.capabilities !== null && grantsCapture(h.capabilities);
  let missing: string | null = null;
  let fix = `Run "${grant}" once, then log out and in again.`;
  if (!h.present) missing = `no capture helper is installed in ${s.prefix}`;
  else if (!s.groupExists) missing = `the group ${s.group} does not exist`;
  else if (!h.ownership) missing = `${h.path} is not root:${s.group} with mode 0750`;
  else if (h.capabilities === null) {
    missing = `the capabilities of ${h.path} cannot be read (getcap is missing)`;
    fix = 'Install libcap2-bin (apt-get install libcap2-bin), then check again.';
  } else if (!capsOk) missing = `${h.path} has lost its capture capabilities (${h.capabilities || 'none'})`;
  else if (h.nosuid) {
    missing = `${h.path} is on a filesystem mounted nosuid, where file capabilities do nothing`;
    fix = `Install it elsewhere: "sudo ${cli} capture-rights grant --user ${s.user.name} --prefix DIR" on a filesystem without nosuid, and set ${PREFIX_ENV}=DIR.`;
  } else if (!s.member) missing = `${s.user.name} is not in the group ${s.group}`;
  else if (s.session === false) {
    missing = `${s.user.name} joined the group ${s.group} after this session started`;
    fix = `Log out and in again (or start CarpDeck from "sg ${s.group} -c '...'").`;
  }
  const tcpdumpOk = s.tcpdump.path !== null && s.tcpdump.capabilities !== null && grantsCapture(s.tcpdump.capabilities);
  if (missing === null) {
    const outdated = h.current === false ? ` It embeds the helper of CarpDeck ${h.manifest?.version ?? 'another version'}: run "${grant}" again to update it.` : '';
    return { using: 'granted', reason: `the granted capture helper ${h.path} (${h.capabilities}, group ${s.group}).${outdated}` };
  }
  if (tcpdumpOk) return { using: 'tcpdump', reason: `${missing}; ${s.tcpdump.path} holds capture capabilities itself, so the tcpdump fallback captures.`, fix };
  return { using: 'none', reason: `${missing}, and tcpdump holds no capture capabilities: ${s.user.name} cannot capture.`, fix };
}
