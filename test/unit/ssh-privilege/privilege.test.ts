// Running as root over a login that may not be root: the privilege is asked once, sudo logins get `sudo -n --` in
// front of every command (stdin still reaches the command), root-owned files are written and uploaded through sudo,
// and a login that can do neither is refused before any command that changes something runs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDeploy } from '../../../electron/core/cluster/deploy.js';
import type { ClusterMember } from '../../../electron/core/cluster/member.js';
import type { Bundle } from '../../../electron/core/deploy/artifacts.js';
import { setMaintenance } from '../../../electron/core/deploy/control.js';
import { deployTo } from '../../../electron/core/deploy/install.js';
import { uninstallFrom } from '../../../electron/core/deploy/uninstall.js';
import { sshNodeOps } from '../../../electron/core/pairing/node-ops.js';
import { detectPrivilege, PrivilegeError, rootSession, type NodeSession } from '../../../electron/core/ssh/privilege.js';
import type { ExecResult, LineStream, UploadProgress } from '../../../electron/core/ssh/session.js';
import type { Progress } from '../../../shared/api/cluster-contract.js';

const scratch = mkdtempSync(join(tmpdir(), 'carpdeck-privilege-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Answer = Partial<ExecResult> | undefined;

/** A login on a node: records every argv (and its stdin); `answer` scripts the replies (default: exit 0, no output). */
class FakeLogin implements NodeSession {
  readonly ran: { argv: string[]; input?: string }[] = [];
  readonly uploads: { localPath: string; remotePath: string }[] = [];

  constructor(
    readonly label: string,
    private readonly answer: (argv: string[], input?: string) => Answer | Promise<Answer> = () => undefined,
  ) {}

  async exec(argv: readonly string[], input?: string | Buffer): Promise<ExecResult> {
    const text = input === undefined ? undefined : input.toString();
    this.ran.push({ argv: [...argv], ...(text !== undefined ? { input: text } : {}) });
    return { code: 0, stdout: '', stderr: '', ...(await this.answer([...argv], text)) };
  }

  async lines(argv: readonly string[], onLine: (line: string) => void): Promise<LineStream> {
    const r = await this.exec(argv);
    for (const line of r.stdout.split('\n').filter(Boolean)) onLine(line);
    return { stop: () => undefined, done: Promise.resolve({ code: r.code }) };
  }

  async upload(localPath: string, remotePath: string, progress?: UploadProgress): Promise<void> {
    this.uploads.push({ localPath, remotePath });
    copyFileSync(localPath, remotePath);
    const size = statSync(localPath).size;
    progress?.(size, size);
  }

  async writeFile(): Promise<void> {
    throw new Error('a sudo login must not write root-owned files over SFTP');
  }

  argvs(): string[][] {
    return this.ran.map((r) => r.argv);
  }
}

const whoami = (answer: 'root' | 'sudo' | 'none') => (argv: string[]) => (argv[0] === 'sh' && argv[2].includes('sudo -n true') ? { stdout: `${answer}\n` } : undefined);

/** Runs argv here, for real (with `sudo -n --` taken off: the test checks it was there), stdin included. */
function runHere(argv: string[], input?: string): ExecResult {
  const bare = argv[0] === 'sudo' ? argv.slice(3) : argv;
  const r = spawnSync(bare[0], bare.slice(1), { input: input ?? '', encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('finding the privilege of a login', () => {
  it('takes a root login as root without asking the node', async () => {
    const login = new FakeLogin('root@fw1');
    expect(await detectPrivilege(login)).toBe('root');
    expect(login.ran).toEqual([]);
  });

  it('asks the node once per session: uid 0, else sudo -n true, else none', async () => {
    const tech = new FakeLogin('tech@fw1', whoami('sudo'));
    expect(await detectPrivilege(tech)).toBe('sudo');
    expect(await detectPrivilege(tech)).toBe('sudo');
    expect(tech.ran).toHaveLength(1);
    expect(tech.ran[0].argv[2]).toMatch(/id -u.*sudo -n true/);
    expect(await detectPrivilege(new FakeLogin('guest@fw1', whoami('none')))).toBe('none');
    expect(await detectPrivilege(new FakeLogin('toor@fw1', whoami('root')))).toBe('root');
    expect(await detectPrivilege(new FakeLogin('odd@fw1', () => ({ code: 127, stderr: 'sh: not found' })))).toBe('none');
  });

  it('runs the detection script as written: on this host it answers root exactly when the tests run as uid 0', async () => {
    const here = await detectPrivilege(new FakeLogin('tech@here', (argv) => runHere(argv)));
    if (process.getuid?.() === 0) expect(here).toBe('root');
    else expect(here).not.toBe('root');
  });
});

describe('a root session over a sudo login', () => {
  it('puts sudo -n -- in front of every command and passes stdin and line streams through', async () => {
    const tech = new FakeLogin('tech@fw1', (argv) => {
      if (whoami('sudo')(argv)) return whoami('sudo')(argv);
      if (argv.includes('status')) return { stdout: 'MASTER\nvhid 1\n' };
      return undefined;
    });
    const root = await rootSession(tech, 'deploy');
    expect(root.privilege).toBe('sudo');
    expect(root.label).toBe('tech@fw1');
    await root.exec(['mkdir', '-p', '/opt/carpd'], 'some input');
    expect(tech.ran.at(-1)).toEqual({ argv: ['sudo', '-n', '--', 'mkdir', '-p', '/opt/carpd'], input: 'some input' });
    const lines: string[] = [];
    await root.lines(['carpctl', 'status'], (l) => lines.push(l));
    expect(tech.ran.at(-1)?.argv).toEqual(['sudo', '-n', '--', 'carpctl', 'status']);
    expect(lines).toEqual(['MASTER', 'vhid 1']);
    expect(await rootSession(root, 'again')).toBe(root);
  });

  it('leaves a root login\'s commands as they are', async () => {
    const login = new FakeLogin('root@fw1');
    const root = await rootSession(login, 'deploy');
    await root.exec(['rm', '-f', '--', '/etc/carpd/carpd.json.new']);
    expect(login.argvs()).toEqual([['rm', '-f', '--', '/etc/carpd/carpd.json.new']]);
  });

  it('writes a root-owned file through sudo: the content goes in on stdin, the mode is set', async () => {
    const tech = new FakeLogin('tech@fw1', (argv, input) => whoami('sudo')(argv) ?? runHere(argv, input));
    const root = await rootSession(tech, 'deploy');
    const target = join(scratch, 'carpd.service');
    await root.writeFile(target, '[Unit]\nDescription=carpd\n', 0o644);
    expect(readFileSync(target, 'utf8')).toBe('[Unit]\nDescription=carpd\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(tech.ran.at(-1)?.argv.slice(0, 4)).toEqual(['sudo', '-n', '--', 'sh']);
    await root.writeFile(join(scratch, 'secret.json'), '{"password":"x"}');
    expect(statSync(join(scratch, 'secret.json')).mode & 0o777).toBe(0o600);
    await expect(root.writeFile(join(scratch, 'no', 'such', 'dir'), 'x')).rejects.toThrow(/^tech@fw1: cannot write .*no\/such\/dir through sudo/);
  });

  it('uploads through a private folder of the login, installs the file as root (mode 0600) and removes the folder', async () => {
    const tech = new FakeLogin('tech@fw1', (argv, input) => whoami('sudo')(argv) ?? runHere(argv, input));
    const root = await rootSession(tech, 'deploy');
    const local = join(scratch, 'carpd.cjs');
    writeFileSync(local, 'console.log("carpd")\n');
    const remote = join(scratch, '.upload-abc');
    const seen: number[] = [];
    await root.upload(local, remote, (sent) => seen.push(sent));
    expect(readFileSync(remote, 'utf8')).toBe('console.log("carpd")\n');
    expect(statSync(remote).mode & 0o777).toBe(0o600);
    expect(seen.at(-1)).toBe(21);
    const [mktemp, install, rm] = tech.argvs().slice(1);
    expect(mktemp[0]).toBe('mktemp');
    const staged = tech.uploads[0].remotePath;
    expect(install).toEqual(['sudo', '-n', '--', 'install', '-o', '0', '-g', '0', '-m', '0600', '--', staged, remote]);
    expect(rm).toEqual(['rm', '-rf', '--', staged.slice(0, staged.lastIndexOf('/'))]);
    expect(existsSync(staged)).toBe(false);
  });
});

describe('a login without root or password-less sudo', () => {
  const guest = () => new FakeLogin('guest@192.0.2.11', whoami('none'));
  const bundle: Bundle = { version: '1.0.0-abc', arch: 'x86_64', artifacts: [] };
  const GOOD_CONFIG = JSON.stringify({ node: 'fw1', vhids: [{ vhid: 1, interface: 'lan', password: 'secret', vips: ['10.0.1.1/24'] }] });

  it('is refused with the node, the login and the sudoers line to add', async () => {
    const e = await rootSession(guest(), 'deploy').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PrivilegeError);
    const err = e as PrivilegeError;
    expect(err.code).toBe('no-privileges');
    expect(err.where).toBe('guest@192.0.2.11');
    expect(err.message).toMatch(/^guest@192\.0\.2\.11: deploy needs root, but guest is not root and sudo asks it for a password .*nothing was changed/);
    expect(err.fix).toBe('log in as root, or give guest password-less sudo: run "visudo -f /etc/sudoers.d/carpdeck" on the node as root and add the line "guest ALL=(ALL) NOPASSWD: ALL"');
  });

  it('deploy, uninstall and maintenance run nothing on the node but the privilege check', async () => {
    for (const job of [(s: NodeSession) => deployTo(s, bundle, '{"node":"fw1","vhids":[]}', 'fw1.json'), uninstallFrom, (s: NodeSession) => setMaintenance(s, true)]) {
      const login = guest();
      await expect(job(login)).rejects.toMatchObject({ code: 'no-privileges' });
      expect(login.ran).toHaveLength(1);
      expect(login.ran[0].argv[2]).toContain('sudo -n true');
    }
  });

  it('the control panel deploy fails with the code and the fix before the bundle is prepared', async () => {
    const login = guest();
    const member = { id: 'guest@192.0.2.11', session: () => login, pollNow: () => undefined } as unknown as ClusterMember;
    const progress: Progress[] = [];
    let bundled = false;
    await runDeploy(() => member, async () => ((bundled = true), bundle), { node: member.id, config: GOOD_CONFIG }, (p) => progress.push(p));
    expect(bundled).toBe(false);
    expect(progress).toHaveLength(1);
    expect(progress[0].done).toMatchObject({ ok: false, error: { code: 'no-privileges', fix: expect.stringContaining('guest ALL=(ALL) NOPASSWD: ALL') } });
  });

  it('a pairing apply on it stops at the snapshot, before any backup or upload', async () => {
    const login = guest();
    const ops = sshNodeOps(login, 'primary', () => Promise.resolve(bundle), [{ path: '/etc/carpd/carpd.json', content: '{}', mode: 0o600 }], []);
    await expect(ops.snapshot()).rejects.toBeInstanceOf(PrivilegeError);
    expect(login.ran).toHaveLength(1);
  });
});

describe('deploy control over a sudo login', () => {
  it('maintenance reads the config and asks carpctl, both through sudo', async () => {
    const tech = new FakeLogin('tech@fw1', (argv) => {
      if (whoami('sudo')(argv)) return whoami('sudo')(argv);
      if (argv.includes('cat')) return { stdout: '{"controlSocket":"/run/carpd.sock"}' };
      if (argv.includes('maintenance')) return { stdout: '{"message":"maintenance mode on"}' };
      return { code: 1, stderr: 'unexpected' };
    });
    expect(await setMaintenance(tech, true)).toBe('maintenance mode on');
    expect(tech.argvs().slice(1)).toEqual([
      ['sudo', '-n', '--', 'cat', '/etc/carpd/carpd.json'],
      ['sudo', '-n', '--', '/opt/carpd/current/node', '/opt/carpd/current/carpctl.cjs', '--socket', '/run/carpd.sock', 'maintenance', 'on', '--json'],
    ]);
  });
});
