// `capture-rights grant`: installs the standalone capture helper the way Wireshark installs dumpcap — root-owned,
// executable by one group only (mode 0750), with the capture capabilities as file capabilities — and adds the
// user to that group. Root only; run once per machine (again after updating CarpDeck), once per user.
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assembleHelper } from './assemble.js';
import type { CaptureRightsError, Outcome } from './errors.js';
import { CAPABILITIES, layout } from './paths.js';
import { sha256File, type Manifest } from './status.js';
import { findTool, lookupGroup, lookupUser, runSystem as run } from './system.js';

export interface GrantOptions {
  prefix: string;
  group: string;
  /** Who may capture; null installs the helper only. */
  user: string | null;
  /** The bundled helper script, the libpcap binding built for `node`, postject's CLI, and the Node binary. */
  helperScript: string;
  capNode: string;
  postject: string;
  node: string;
  version: string;
}

export function grant(o: GrantOptions): Outcome {
  const steps: string[] = [];
  const fail = (error: CaptureRightsError): Outcome => ({ ok: false, error, steps });
  const account = o.user === null ? null : lookupUser(o.user);
  if (o.user !== null && !account) return fail({ code: 'unknown-user', message: `there is no user "${o.user}"`, where: '--user', fix: 'Name an existing login (see getent passwd).' });
  for (const [file, what] of [[o.helperScript, 'the bundled capture helper'], [o.capNode, 'the libpcap binding (cap.node)'], [o.postject, "postject's CLI"]] as const) {
    if (!existsSync(file)) return fail({ code: 'missing-file', message: `${what} is missing: ${file}`, where: file, fix: 'Run npm ci (or npm run build) in the CarpDeck folder first.' });
  }
  const setcap = findTool('setcap');
  if (!setcap) return fail({ code: 'missing-tool', message: 'setcap is not installed', where: 'setcap', fix: 'apt-get install libcap2-bin' });
  const unsafe = unsafeAncestor(o.prefix);
  if (unsafe) return fail({ code: 'unsafe-prefix', message: `${unsafe} is writable by users other than root, so a helper with capture rights must not live under it`, where: o.prefix, fix: 'Choose a --prefix whose every directory belongs to root and is writable by root only.' });

  let group = lookupGroup(o.group);
  if (!group) {
    const e = run('groupadd', ['--system', o.group]);
    if (e) return fail(e);
    group = lookupGroup(o.group);
    if (!group) return fail({ code: 'system-command-failed', message: `groupadd created no group ${o.group}`, where: 'groupadd' });
    steps.push(`created the group ${o.group}`);
  }

  const work = mkdtempSync(path.join(tmpdir(), 'carpdeck-capture-build-'));
  try {
    const l = layout(o.prefix);
    const built = assembleHelper({ script: o.helperScript, capNodeTarget: l.capNode, node: o.node, postject: o.postject, work });
    if ('error' in built) return fail({ code: 'build-failed', message: built.error, where: o.node });
    steps.push(`built the standalone helper from ${o.helperScript} and ${o.node} ${process.version}`);
    mkdirSync(o.prefix, { recursive: true, mode: 0o755 });
    // again: someone may have created the directory since the first check
    const raced = unsafeAncestor(o.prefix);
    if (raced) return fail({ code: 'unsafe-prefix', message: `${raced} is writable by users other than root`, where: o.prefix });
    install(o.capNode, l.capNode, 0, 0o644);
    steps.push(`installed ${l.capNode} (root:root 0644)`);
    const tmp = install(built.file, `${l.helper}.new`, group.gid, 0o750, false);
    const e = run(setcap, [CAPABILITIES, tmp]);
    if (e) {
      rmSync(tmp, { force: true });
      return fail({ ...e, fix: 'File capabilities need a filesystem that keeps extended attributes (not nosuid, not some network or overlay mounts); try another --prefix.' });
    }
    renameSync(tmp, l.helper);
    steps.push(`installed ${l.helper} (root:${o.group} 0750, ${CAPABILITIES})`);
    const manifest: Manifest = { version: o.version, group: o.group, helperSha256: sha256File(o.helperScript), node: process.version, installed: new Date().toISOString() };
    writeFileSync(l.manifest, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o644 });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  if (account) {
    if (group.members.includes(account.name) || account.gid === group.gid) steps.push(`${account.name} is already in ${o.group}`);
    else {
      const e = run('usermod', ['-a', '-G', o.group, account.name]);
      if (e) return fail(e);
      steps.push(`added ${account.name} to ${o.group} (takes effect at their next login)`);
    }
  }
  return { ok: true, steps };
}

/** Copies into place atomically (through a temporary name) with owner root:gid and the mode given. */
function install(from: string, to: string, gid: number, mode: number, atomic = true): string {
  const tmp = atomic ? `${to}.new` : to;
  rmSync(tmp, { force: true });
  copyFileSync(from, tmp);
  chownSync(tmp, 0, gid);
  chmodSync(tmp, mode);
  if (atomic) renameSync(tmp, to);
  return to;
}

/** The first existing directory from the prefix up whose owner is not root or that group or others may write. */
function unsafeAncestor(prefix: string): string | null {
  for (let dir = path.resolve(prefix); ; dir = path.dirname(dir)) {
    if (existsSync(dir)) {
      const st = statSync(dir);
      // sticky world-writable directories like /tmp are safe as parents: nobody may rename others' entries there
      const sticky = (st.mode & 0o1000) !== 0;
      if (st.uid !== 0 || ((st.mode & 0o022) !== 0 && !(sticky && dir !== path.resolve(prefix)))) return dir;
    }
    if (dir === path.dirname(dir)) return null;
  }
}
