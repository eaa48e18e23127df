// Rollback on a node over a fake SSH session (scripted answers per command): a node that had no carpd is made blank
// again, one that had carpd gets its configuration, version and running service back, in that order.
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
