// Automatic fixes the preflight offers: installing missing packages with apt-get, turning conntrack accounting on.
// A remedy id names exactly what it does (`apt-install:conntrackd,nftables`); only known packages are accepted, so
// an id coming back from the UI cannot install anything else.
import { detectPrivilege, loginOf, noPrivilegesFix } from '../../ssh/privilege.js';
import type { PreflightSession } from './session.js';
import { asRoot, shArgv } from './session.js';

export const INSTALLABLE = ['iproute2', 'nftables', 'conntrackd', 'libpcap0.8', 'tcpdump', 'python3-minimal', 'coreutils'] as const;

export interface RemedyResult {
  ok: boolean;
  /** Why it failed, when it did. */
  code?: 'unknown-remedy' | 'no-privileges' | 'no-apt' | 'failed';
  remedyId: string;
  node: string;
  /** Plain words: what was done, or what went wrong and what to do. */
  message: string;
}

export function installRemedy(pkgs: readonly string[]): { id: string; label: string } {
  return { id: `apt-install:${pkgs.join(',')}`, label: `Install ${pkgs.join(', ')} with apt-get` };
}

export const CONNTRACK_ACCT_FILE = '/etc/sysctl.d/90-carpdeck-conntrack-acct.conf';

type Remedy = { kind: 'install'; pkgs: string[] } | { kind: 'conntrack-acct' };

export function parseRemedyId(id: string): Remedy | string {
  if (id === 'conntrack-acct') return { kind: 'conntrack-acct' };
  const m = /^apt-install:([a-z0-9.+,-]+)$/.exec(id);
  if (!m) return `unknown remedy "${id}": the preflight offers apt-install:PACKAGES and conntrack-acct`;
  const pkgs = m[1].split(',').filter(Boolean);
  const unknown = pkgs.filter((p) => !(INSTALLABLE as readonly string[]).includes(p));
  if (pkgs.length === 0 || unknown.length > 0) return `remedy "${id}" names packages the preflight does not install (${unknown.join(', ') || 'none given'}); it installs only ${INSTALLABLE.join(', ')}`;
  return { kind: 'install', pkgs };
}

const tail = (text: string) => text.trim().split('\n').slice(-3).join(' / ');

/** Applies one offered remedy on the node; never throws for the node's answers (errors are values). */
export async function runRemedy(session: PreflightSession, remedyId: string): Promise<RemedyResult> {
  const node = session.label;
  const remedy = parseRemedyId(remedyId);
  const result = (ok: boolean, message: string, code?: RemedyResult['code']): RemedyResult => ({ ok, remedyId, node, message, ...(code ? { code } : {}) });
  if (typeof remedy === 'string') return result(false, remedy, 'unknown-remedy');
  const privilege = await detectPrivilege(session);
  if (privilege === 'none') return result(false, `${node}: the login is not root and sudo needs a password: ${noPrivilegesFix(loginOf(session))}, then try again`, 'no-privileges');

  if (remedy.kind === 'conntrack-acct') {
    const script = `PATH="$PATH:/usr/sbin:/sbin"; sysctl -qw net.netfilter.nf_conntrack_acct=1 && mkdir -p /etc/sysctl.d && printf 'net.netfilter.nf_conntrack_acct = 1\\n' > "$1"`;
    const r = await session.exec(asRoot(privilege, shArgv(script, CONNTRACK_ACCT_FILE)));
    if (r.code !== 0) return result(false, `${node}: turning conntrack accounting on failed (${tail(r.stderr || r.stdout) || `exit ${r.code}`}); run sysctl -w net.netfilter.nf_conntrack_acct=1 by hand`, 'failed');
    return result(true, `${node}: conntrack accounting is on, and ${CONNTRACK_ACCT_FILE} keeps it on at boot`);
  }

  const apt = await session.exec(shArgv('PATH="$PATH:/usr/sbin:/sbin"; command -v apt-get'));
  if (apt.code !== 0) return result(false, `${node} has no apt-get (not Debian or Ubuntu): install ${remedy.pkgs.join(' ')} with the node's package manager`, 'no-apt');
  const argv = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '--no-install-recommends', '--', ...remedy.pkgs];
  const r = await session.exec(asRoot(privilege, argv));
  if (r.code !== 0) {
    return result(false, `${node}: apt-get install ${remedy.pkgs.join(' ')} failed (exit ${r.code ?? r.signal}): ${tail(r.stderr || r.stdout)}. Check the node's package sources (apt-get update) and its Internet access, or install the packages by hand`, 'failed');
  }
  return result(true, `${node}: installed ${remedy.pkgs.join(', ')}`);
}
