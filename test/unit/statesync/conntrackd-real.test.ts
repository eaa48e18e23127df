// Runs the real conntrackd on generated configurations inside a private network namespace.
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderConntrackdConf } from '../../../daemon/statesync/conf.js';
import { createStateSync, conntrackdPaths, type StateSyncEvent } from '../../../daemon/statesync/sync.js';
import { parseStats } from '../../../daemon/statesync/stats.js';
import { syncConfig } from './fixtures.js';
import { netnsUnavailable, nsHost, sh, until } from './nshost.js';

const skip = netnsUnavailable();
const ns = `ssu-${process.pid}`;
let dir = '';

describe.skipIf(skip !== null)('generated conntrackd.conf with the real conntrackd', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'statesync-unit-'));
    sh(['ip', 'netns', 'add', ns]);
    sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    sh(['ip', '-n', ns, 'link', 'add', 'sync', 'type', 'veth', 'peer', 'name', 'syncpeer']);
    sh(['ip', '-n', ns, 'link', 'set', 'syncpeer', 'up']);
    sh(['ip', '-n', ns, 'addr', 'add', '10.0.3.2/24', 'dev', 'sync']);
    sh(['ip', '-n', ns, 'addr', 'add', 'fd00:3::2/64', 'dev', 'sync', 'nodad']);
    sh(['ip', '-n', ns, 'link', 'set', 'sync', 'up']);
  });
  afterAll(() => {
    sh(['ip', 'netns', 'del', ns]);
    if (!process.env.STATESYNC_KEEP) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts conntrackd on `text`; resolves with its parsed `-s` once it answers, or its output if it exits. */
  async function runConntrackd(name: string, text: string): Promise<{ answered: boolean; output: string }> {
    const paths = conntrackdPaths(join(dir, name));
    sh(['mkdir', '-p', join(dir, name)]);
    writeFileSync(paths.conf, text);
    const host = nsHost(ns);
    const child = host.spawn(['conntrackd', '-C', paths.conf], join(dir, name, 'out.log'));
    let exited = false;
    void child.exited.then(() => (exited = true));
    let answered = false;
    await until(`conntrackd (${name}) to answer or exit`, async () => {
      if (exited) return true;
      const r = await host.exec(['conntrackd', '-C', paths.conf, '-s'], 2000);
      answered = r.code === 0 && parseStats(r.stdout).ok;
      return answered;
    });
    child.kill('SIGTERM');
    await child.exited;
    return { answered, output: child.tail() };
  }

  const render = (input: Parameters<typeof syncConfig>[0], local: string, name: string) => {
    const r = renderConntrackdConf({ config: syncConfig(input), localAddress: local, paths: conntrackdPaths(join(dir, name)) });
    if (!r.ok) throw new Error(r.message);
    return r.text;
  };

  it('conntrackd accepts the unicast configuration and answers on its own control socket', async () => {
    const r = await runConntrackd('unicast', render({ protocols: ['tcp', 'udp', 'icmp', 'icmpv6'], ignore: ['192.0.2.0/24', '2001:db8::7'] }, '10.0.3.2', 'unicast'));
    expect(r.output).toContain('initialization completed');
    expect(r.answered).toBe(true);
  });

  it('conntrackd accepts the multicast and the IPv6 configurations', async () => {
    const m = await runConntrackd('mcast', render({ transport: 'multicast', peer: undefined }, '10.0.3.2', 'mcast'));
    expect(m.answered).toBe(true);
    const v6 = await runConntrackd('v6', render({ peer: 'fd00:3::3', protocols: ['sctp', 'dccp'] }, 'fd00:3::2', 'v6'));
    expect(v6.answered).toBe(true);
  });

  it('a configuration conntrackd cannot parse is caught by this check (the check can fail)', async () => {
    const broken = render({}, '10.0.3.2', 'broken').replace('Port 3780', 'Prot 3780');
    const r = await runConntrackd('broken', broken);
    expect(r.answered).toBe(false);
    expect(r.output).toMatch(/pars/i);
  });

  it('stops a conntrackd left running by a killed carpd and starts its own', async () => {
    const leftover = join(dir, 'leftover');
    // what a killed carpd leaves behind: its conntrackd, still running on the same files
    sh(['mkdir', '-p', leftover]);
    writeFileSync(conntrackdPaths(leftover).conf, render({}, '10.0.3.2', 'leftover'));
    const orphan = nsHost(ns).spawn(['conntrackd', '-C', conntrackdPaths(leftover).conf], join(leftover, 'orphan.log'));
    await until('the orphan to answer', async () => (await nsHost(ns).exec(['conntrackd', '-C', conntrackdPaths(leftover).conf, '-s'], 2000)).code === 0);
    const events: StateSyncEvent[] = [];
    const sync = createStateSync(syncConfig({}), { dir: leftover, host: nsHost(ns), pollMs: 200 });
    sync.onEvent((e) => events.push(e));
    try {
      expect(await sync.start()).toBeNull();
      expect(events.map((e) => e.message)).toContain('stopped a conntrackd left running by an earlier carpd');
      expect(await orphan.exited).toMatchObject({ code: 0 });
      await until('the new conntrackd to answer', () => sync.status().messages !== null);
      expect(sync.status().conntrackd.restarts).toBe(0);
    } finally {
      orphan.kill('SIGKILL');
      await sync.stop();
    }
  });

  it('carpd restarts a killed conntrackd, clears its stale lock file and reports the death', async () => {
    const events: StateSyncEvent[] = [];
    const sync = createStateSync(syncConfig({}), { dir: join(dir, 'supervised'), host: nsHost(ns), pollMs: 200, backoffMs: [100] });
    sync.onEvent((e) => events.push(e));
    expect(await sync.start()).toBeNull();
    try {
      await until('conntrackd to run', () => sync.status().conntrackd.pid !== null && sync.status().messages !== null);
      const first = sync.status().conntrackd.pid!;
      const pid = Number(sh(['ip', 'netns', 'pids', ns]).split('\n').find((p) => p && sh(['cat', `/proc/${p}/comm`]).trim() === 'conntrackd'));
      process.kill(pid, 'SIGKILL');
      await until('a restarted conntrackd to answer', () => sync.status().conntrackd.restarts === 1 && sync.status().conntrackd.pid !== first && sync.status().messages !== null && events.some((e) => e.kind === 'conntrackd-started'));
      expect(events.find((e) => e.kind === 'conntrackd-died')?.message).toMatch(/^conntrackd killed by SIGKILL.*restarting in 0\.10 s \(restart 1\)/);
      expect(sync.status().conntrackd.lastExit).toMatch(/^killed by SIGKILL/);
    } finally {
      await sync.stop();
    }
    expect(sync.status().conntrackd.running).toBe(false);
    expect(existsSync(conntrackdPaths(join(dir, 'supervised')).lock)).toBe(false);
  });
});
