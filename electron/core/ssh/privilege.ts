// Running commands as root over a login that may not be root. The privilege is found once per session: uid 0 is
// root, else `sudo -n true` working is sudo, else none. A RootSession then runs every argv directly (root) or
// through `sudo -n --` (never prompting: a password prompt on a channel without a terminal would hang), and writes
// root-owned files through sudo too (SFTP runs as the login and cannot). Privilege 'none' is refused up front, with
// the sudoers line that fixes it, before anything on the node changes.
import { SshError } from './errors.js';
import type { ExecResult, LineStream, UploadProgress } from './session.js';

export type Privilege = 'root' | 'sudo' | 'none';

/** What a node's session offers (SshSession has it). */
export interface NodeSession {
  /** USER@HOST[:PORT] (targetLabel). */
  readonly label: string;
  exec(argv: readonly string[], input?: string | Buffer): Promise<ExecResult>;
  lines(argv: readonly string[], onLine: (line: string) => void, opts?: { pty?: boolean; onStderr?: (text: string) => void }): Promise<LineStream>;
  upload(localPath: string, remotePath: string, progress?: UploadProgress): Promise<void>;
  writeFile(remotePath: string, content: string | Buffer, mode?: number): Promise<void>;
}

export function asRoot(privilege: Privilege, argv: readonly string[]): string[] {
  return privilege === 'sudo' ? ['sudo', '-n', '--', ...argv] : [...argv];
}

// A fixed script: sudo -n fails at once (instead of asking) when a password would be needed.
const DETECT_ARGV = ['sh', '-c', 'if [ "$(id -u)" = 0 ]; then echo root; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then echo sudo; else echo none; fi'];

/** The login name: the USER part of the session's label. */
export const loginOf = (session: { label: string }): string => session.label.slice(0, Math.max(0, session.label.indexOf('@')));

function parsePrivilege(stdout: string): Privilege {
  const v = stdout.trim();
  return v === 'root' || v === 'sudo' ? v : 'none';
}

const found = new WeakMap<object, Promise<Privilege>>();

/** The session's privilege, asked of the node once per session (a login named root is uid 0: no round trip). */
export function detectPrivilege(session: Pick<NodeSession, 'label' | 'exec'>): Promise<Privilege> {
  if (session instanceof RootSession) return Promise.resolve(session.privilege);
  if (loginOf(session) === 'root') return Promise.resolve('root');
  let p = found.get(session);
  if (!p) {
    p = session.exec(DETECT_ARGV).then((r) => parsePrivilege(r.stdout));
    found.set(session, p);
    p.catch(() => found.delete(session));
  }
  return p;
}

const SUDOERS_FILE = '/etc/sudoers.d/carpdeck';

/** The line that gives `user` password-less sudo (carpdeck runs sh and its own node runtime as root, so a narrower
 * rule would not limit anything). */
const sudoersLine = (user: string): string => `${user} ALL=(ALL) NOPASSWD: ALL`;

export function noPrivilegesFix(user: string): string {
  return `log in as root, or give ${user} password-less sudo: run "visudo -f ${SUDOERS_FILE}" on the node as root and add the line "${sudoersLine(user)}"`;
}

/** The login can run nothing as root: refused before anything on the node changed. */
export class PrivilegeError extends Error {
  readonly code = 'no-privileges';
  constructor(
    readonly where: string,
    readonly user: string,
    what: string,
  ) {
    super(`${where}: ${what} needs root, but ${user} is not root and sudo asks it for a password (or is not installed); nothing was changed. Fix: ${noPrivilegesFix(user)}`);
    this.name = 'PrivilegeError';
  }

  get fix(): string {
    return noPrivilegesFix(this.user);
  }
}

// Constant script: writes stdin to $1 (created private, then given mode $2), as root through sudo.
const WRITE_SCRIPT = 'umask 077 && cat > "$1" && chmod "$2" "$1"';

/** A session whose commands run as root. Use rootSession() to get one. */
export class RootSession implements NodeSession {
  constructor(
    readonly login: NodeSession,
    readonly privilege: 'root' | 'sudo',
  ) {}

  get label(): string {
    return this.login.label;
  }

  exec(argv: readonly string[], input?: string | Buffer): Promise<ExecResult> {
    return this.login.exec(asRoot(this.privilege, argv), input);
  }

  lines(argv: readonly string[], onLine: (line: string) => void, opts?: { pty?: boolean; onStderr?: (text: string) => void }): Promise<LineStream> {
    return this.login.lines(asRoot(this.privilege, argv), onLine, opts);
  }

  /** Root uploads straight to the path. Through sudo the file goes by SFTP to a private folder of the login's, then
   * `install` copies it into place owned by root with mode 0600 (as SFTP would create it), and the folder goes. */
  async upload(localPath: string, remotePath: string, progress?: UploadProgress): Promise<void> {
    if (this.privilege === 'root') return this.login.upload(localPath, remotePath, progress);
    const made = await this.login.exec(['mktemp', '-d', '-t', 'carpdeck-upload.XXXXXXXX']);
    const dir = made.stdout.trim();
    if (made.code !== 0 || !dir.startsWith('/')) throw this.failed(`cannot make an upload folder for ${remotePath} (mktemp -d: ${(made.stderr || made.stdout).trim()})`);
    try {
      await this.login.upload(localPath, `${dir}/file`, progress);
      const put = await this.exec(['install', '-o', '0', '-g', '0', '-m', '0600', '--', `${dir}/file`, remotePath]);
      if (put.code !== 0) throw this.failed(`cannot put the upload at ${remotePath} (sudo install: ${(put.stderr || put.stdout).trim()})`);
    } finally {
      await this.login.exec(['rm', '-rf', '--', dir]).catch(() => undefined);
    }
  }

  async writeFile(remotePath: string, content: string | Buffer, mode = 0o600): Promise<void> {
    if (this.privilege === 'root') return this.login.writeFile(remotePath, content, mode);
    const r = await this.exec(['sh', '-c', WRITE_SCRIPT, 'carpdeck-write', remotePath, mode.toString(8)], content);
    if (r.code !== 0) throw this.failed(`cannot write ${remotePath} through sudo: ${(r.stderr || r.stdout).trim() || `exit ${r.code ?? r.signal}`}`);
  }

  private failed(message: string): SshError {
    return new SshError('sftp-failed', `${this.label}: ${message}`, this.label);
  }
}

/**
 * The session as root, or a PrivilegeError saying what to add to sudoers. `what` names the job in the error
 * ("deploy", "maintenance"). A RootSession is returned as it is.
 */
export async function rootSession(session: NodeSession, what: string): Promise<RootSession> {
  if (session instanceof RootSession) return session;
  const privilege = await detectPrivilege(session);
  if (privilege === 'none') throw new PrivilegeError(session.label, loginOf(session), what);
  return new RootSession(session, privilege);
}
