// Rollback on a node over a fake SSH session (scripted answers per command): a node that had no carpd is made blank
// again, one that had carpd gets its configuration, version and running service back, in that order. Activation on a
// node running carpd: deploy restarts it only for a new version or carpd.json, so a changed vips.json is reloaded and a
// changed certificate restarts it.
import { describe, expect, it } from 'vitest';
import { sshNodeOps, BACKUP_DIR } from '../../../electron/core/pairing/node-ops.js';
import type { NodeFile } from '../../../electron/core/pairing/node-files.js';
import type { ExecResult, SshSession } from '../../../electron/core/ssh/session.js';

type Answer = Partial<ExecResult>;

function fakeSession(answer: (argv: readonly string[]) => Answer | undefined) {
  const calls: string[][] = [];
  const session = {
    label: 'root@fw1',
    async exec(argv: readonly string[]): Promise<ExecResult> {
      calls.push([...argv]);
      return { code: 0, stdout: '', stderr: '', ...answer(argv) };
    },
  };
  return { calls, session: session as unknown as SshSession };
}

const files: NodeFile[] = [{ path: '/etc/carpd/carpd.json', content: '{}', mode: 0o600 }];
const vips = [{ interface: 'lan', vip: '10.0.1.1/24' }];
const noBundle = () => Promise.reject(new Error('not needed'));
const is = (argv: readonly string[], ...prefix: string[]) => prefix.every((p, i) => argv[i] === p);

describe('rollback on a node', () => {
  it('uninstalls a node that had no carpd back to blank: no carpd files, no VIP left behind', async () => {
    const { calls, session } = fakeSession((argv) => {
      if (is(argv, 'test') || is(argv, 'readlink') || is(argv, 'cat') || is(argv, 'sh')) return { code: 1 };
      if (is(argv, 'ip', '-o', 'addr', 'show', 'to', '10.0.1.1')) return { stdout: '3: lan    inet 10.0.1.1/24 scope global secondary lan\n' };
      return undefined;
    });
    const ops = sshNodeOps(session, 'primary', noBundle, files, vips);
    expect(await ops.snapshot()).toBe('root@fw1 has no carpd yet (a rollback makes it blank again)');
    expect(calls.some((c) => is(c, 'cp'))).toBe(false);
    calls.length = 0;
    expect(await ops.rollback()).toMatch(/^root@fw1 is blank again/);
    const removed = calls.find((c) => is(c, 'rm', '-rf', '--', '/opt/carpd'));
    expect(removed).toEqual(expect.arrayContaining(['/opt/carpd', '/etc/carpd', '/var/lib/carpd', '/run/carpd.sock', '/var/log/carpd.log']));
    expect(calls).toContainEqual(['ip', 'addr', 'del', '10.0.1.1/24', 'dev', 'lan']);
    expect(calls.at(-1)).toEqual(['rm', '-rf', '--', BACKUP_DIR]);
  });

  it('restores a node that had carpd: stops it, puts back /etc/carpd and the version links, then starts it and waits on its own socket', async () => {
    const { calls, session } = fakeSession((argv) => {
      if (is(argv, 'test', '-d', '/run/systemd/system')) return { code: 1 };
      if (is(argv, 'readlink', '/opt/carpd/current')) return { stdout: '0.0.9-abc\n' };
      if (is(argv, 'readlink', '/opt/carpd/previous')) return { code: 1 };
      if (is(argv, 'cat', '/etc/carpd/carpd.json')) return { stdout: '{"node": "fw1", "controlSocket": "/run/old.sock", "vhids": []}' };
      return undefined;
    });
    const ops = sshNodeOps(session, 'secondary', noBundle, files, vips);
    expect(await ops.snapshot()).toBe('root@fw1 has carpd 0.0.9-abc, running: backed up /etc/carpd');
    expect(calls).toContainEqual(['cp', '-a', '--', '/etc/carpd', `${BACKUP_DIR}/carpd`]);
    calls.length = 0;
    expect(await ops.rollback()).toBe('root@fw1 is back to carpd 0.0.9-abc with its previous configuration, running');
    const at = (pred: (c: string[]) => boolean) => calls.findIndex(pred);
    const stop = at((c) => is(c, 'sh', '-c') && c[2].includes('kill -TERM'));
    const restore = at((c) => is(c, 'cp', '-a', '--', `${BACKUP_DIR}/carpd`, '/etc/carpd'));
    const relink = at((c) => is(c, 'ln', '-sfn', '--', '0.0.9-abc', '/opt/carpd/current'));
    const start = at((c) => is(c, 'sh', '-c') && c[2].includes('setsid'));
    const waited = at((c) => c.includes('/run/old.sock') && c.includes('status'));
    expect([stop, restore, relink, start, waited].every((i) => i >= 0)).toBe(true);
    expect(stop).toBeLessThan(restore);
    expect(restore).toBeLessThan(relink);
    expect(relink).toBeLessThan(start);
    expect(start).toBeLessThan(waited);
    expect(calls).toContainEqual(['rm', '-f', '--', '/opt/carpd/previous']);
  });
});

describe('activation on a node that runs carpd already', () => {
  const pairFiles: NodeFile[] = [
    { path: '/etc/carpd/carpd.json', content: '{"node": "fw1", "vhidsFile": "vips.json"}', mode: 0o600 },
    { path: '/etc/carpd/vips.json', content: '{"vhids": []}', mode: 0o600 },
    { path: '/etc/carpd/sync/node.crt', content: 'CERT', mode: 0o644 },
  ];
  const bundle = () => Promise.resolve({ version: '0.1.0-test', arch: 'x86_64', artifacts: [] });

  /** A node running carpd 0.1.0-test (supervisor) whose carpd.json is what the plan has; `changed` are the files the
   * staged copies differ from; `reloadRefused`: carpctl reload fails with that message. */
  function runningNode(changed: string[], reloadRefused?: string) {
    const hash = (path: string) => (changed.includes(path.replace('/.pairing-stage', '')) && path.includes('.pairing-stage') ? 'b' : 'a').repeat(64);
    const { calls, session } = fakeSession((argv) => {
      if (is(argv, 'uname')) return { stdout: 'x86_64\n' };
      if (reloadRefused && argv.at(-1) === 'reload') return { code: 1, stderr: reloadRefused };
      if (is(argv, 'test', '-d', '/run/systemd/system')) return { code: 1 };
      if (is(argv, 'readlink', '/opt/carpd/current')) return { stdout: '0.1.0-test\n' };
      if (is(argv, 'sha256sum', '--')) return { stdout: argv.slice(2).map((p) => `${hash(p)}  ${p}\n`).join('') };
      return undefined;
    });
    Object.assign(session, { writeFile: async () => undefined });
    return { calls, ops: sshNodeOps(session, 'primary', bundle, pairFiles, vips) };
  }
  const reloads = (calls: string[][]) => calls.filter((c) => c.some((a) => a.endsWith('/carpctl.cjs')) && c.at(-1) === 'reload');
  const restarts = (calls: string[][]) => calls.filter((c) => is(c, 'sh', '-c') && c[2].includes('setsid'));

  it('makes carpd reload when only vips.json changed (carpd.json and the version did not, so deploy left carpd running)', async () => {
    const { calls, ops } = runningNode(['/etc/carpd/vips.json']);
    expect(await ops.activate()).toMatch(/^carpd 0\.1\.0-test runs on root@fw1 under supervisor; .*\(\/etc\/carpd\/vips\.json changed\)$/);
    expect(reloads(calls)).toEqual([['/opt/carpd/current/node', '/opt/carpd/current/carpctl.cjs', '--socket', '/run/carpd.sock', 'reload']]);
    expect(restarts(calls)).toEqual([]);
    const moved = calls.findIndex((c) => is(c, 'mv', '-f', '--', '/etc/carpd/.pairing-stage/vips.json', '/etc/carpd/vips.json'));
    expect(moved).toBeGreaterThanOrEqual(0);
    expect(moved).toBeLessThan(calls.indexOf(reloads(calls)[0]));
  });

  it('neither reloads nor restarts carpd when no file changed (a pair paired again with what it runs)', async () => {
    const { calls, ops } = runningNode([]);
    expect(await ops.activate()).toBe('carpd 0.1.0-test runs on root@fw1 under supervisor');
    expect(reloads(calls)).toEqual([]);
    expect(restarts(calls)).toEqual([]);
  });

  it('restarts carpd when its config sync certificate changed (read only at start) though carpd.json did not', async () => {
    const { calls, ops } = runningNode(['/etc/carpd/vips.json', '/etc/carpd/sync/node.crt']);
    expect(await ops.activate()).toMatch(/; restarted \(\/etc\/carpd\/vips\.json, \/etc\/carpd\/sync\/node\.crt changed\)$/);
    expect(reloads(calls)).toEqual([]);
    expect(restarts(calls)).toHaveLength(1);
  });

  it('fails the activation, naming the file and carpd\'s reason, when carpd refuses the reload', async () => {
    const { ops } = runningNode(['/etc/carpd/vips.json'], 'vhid 300 must be 1..255');
    await expect(ops.activate()).rejects.toMatchObject({ code: 'config-rejected', message: 'root@fw1: carpd did not take the new /etc/carpd/vips.json: vhid 300 must be 1..255' });
  });
});
