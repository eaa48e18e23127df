// `capture-rights revoke`: with --user, takes one user out of the capture group; without, removes the installed
// helper, its binding and the group, so nobody captures without root any more.
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import type { CaptureRightsError, Outcome } from './errors.js';
import { DEFAULT_GROUP, layout } from './paths.js';
import { readManifest } from './status.js';
import { lookupGroup, lookupUser, runSystem as run } from './system.js';

export interface RevokeOptions {
  prefix: string;
  /** Only this user; null removes the helper for everyone. */
  user: string | null;
  /** The group when no manifest names it. */
  group?: string;
}

export function revoke(o: RevokeOptions): Outcome {
  const steps: string[] = [];
  const fail = (error: CaptureRightsError): Outcome => ({ ok: false, error, steps });
  const l = layout(o.prefix);
  const groupName = readManifest(l)?.group ?? o.group ?? DEFAULT_GROUP;
  const group = lookupGroup(groupName);

  if (o.user !== null) {
    const account = lookupUser(o.user);
    if (!account) return fail({ code: 'unknown-user', message: `there is no user "${o.user}"`, where: '--user' });
    if (!group || !group.members.includes(account.name)) {
      steps.push(`${account.name} is not in ${groupName}`);
      return { ok: true, steps };
    }
    const e = run('gpasswd', ['-d', account.name, groupName]);
    if (e) return fail(e);
    steps.push(`removed ${account.name} from ${groupName} (their running sessions keep it until they log out)`);
    return { ok: true, steps };
  }

  for (const file of [l.helper, l.capNode, l.manifest]) {
    if (!existsSync(file)) continue;
    rmSync(file, { force: true });
    steps.push(`removed ${file}`);
  }
  if (existsSync(o.prefix) && readdirSync(o.prefix).length === 0) {
    rmdirSync(o.prefix);
    steps.push(`removed ${o.prefix}`);
  }
  if (group) {
    const e = run('groupdel', [groupName]);
    if (e) return fail(e);
    steps.push(`removed the group ${groupName}`);
  }
  if (steps.length === 0) steps.push(`nothing was installed in ${o.prefix}`);
  return { ok: true, steps };
}
