// Logging in as yourself with real sshd in the lab: a login without password-less sudo is refused up front (the
// sudoers line in the error, nothing on the node), a sudo login deploys both nodes through the control panel's
// service, its status polling, maintenance and restart run through sudo and the VIPs move, and uninstall through
// sudo leaves nothing; the pairing's apply steps and `carpdeck pair` (preflight to drill) work through sudo too.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterNode, ConnectUpdate, Progress } from '../../../shared/api/cluster-contract.js';
import { ClusterService } from '../../../electron/core/cluster/service.js';
import { MemoryCredentialStore } from '../../../electron/core/credentials/store.js';
import { localBundle } from '../../../electron/core/deploy/artifacts.js';
import { sshNodeOps } from '../../../electron/core/pairing/node-ops.js';
import { connectSsh } from '../../../electron/core/ssh/connect.js';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts.js';
import { scriptPrompter } from '../../../electron/core/ssh/prompter.js';
import { prepareCli, type Cli } from '../deploy/cli.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/sshd') && existsSync('/usr/bin/sudo');
if (!canRun) console.warn('sudo lab suite skipped: needs root, /usr/sbin/sshd (openssh-server) and /usr/bin/sudo');

interface LabJson {
  nodes: { name: string; namespace: string; address: string; user: string; keyFile: string; logins: { sudo: string; plain: string } }[];
}

const name = `su${process.pid % 100000}`;
let cli: Cli;
let lab: LabJson;
let cluster: ClusterService;
const ac = new AbortController();
let latest: { nodes: ClusterNode[] } | undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const login = (i: number, who: 'sudo' | 'plain') => `${lab.nodes[i].logins[who]}@${lab.nodes[i].address}`;
const key = () => lab.nodes[0].keyFile;

/** A root shell on the node over the system ssh client (independent of the code under test). */
function asRootOn(i: number, script: string): string {
  return execFileSync('ssh', ['-i', key(), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `root@${lab.nodes[i].address}`, script], { encoding: 'utf8' });
}

function config(i: number): string {
  const vhid = (vhid: number, ifname: string, vip: string) => ({ vhid, interface: ifname, advskew: i * 100, password: 'lab-secret', vips: [vip] });
  return JSON.stringify({ node: `fw${i + 1}`, syslog: false, vhids: [vhid(1, 'lan', '10.0.1.1/24'), vhid(2, 'wan', '198.51.100.1/24')] });
}

async function collect(stream: AsyncIterable<Progress>): Promise<Progress[]> {
  const out: Progress[] = [];
  for await (const p of stream) out.push(p);
  return out;
}

async function connect(target: string): Promise<ConnectUpdate[]> {
  const updates: ConnectUpdate[] = [];
  for await (const u of cluster.connect({ target, identity: key() })) {
    updates.push(u);
    if (u.kind === 'prompt') cluster.answer(u.prompt.id, { accept: u.prompt.type === 'host-key' });
  }
  return updates;
}

const node = (id: string) => latest?.nodes.find((n) => n.id === id);

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; nodes: ${JSON.stringify(latest?.nodes.map((n) => ({ id: n.id, connection: n.connection, carpd: n.carpd })))}`);
    await sleep(100);
  }
}

const masterOf = (vhid: number) =>
  [0, 1].filter((i) => node(login(i, 'sudo'))?.carpd?.vhids.find((v) => v.vhid === vhid)?.state === 'MASTER').map((i) => `fw${i + 1}`).join();

/** The carpd processes in a node's network namespace (the nodes share the host's pid namespace). */
function carpdIn(ns: string): number[] {
  const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split(/\s+/).filter(Boolean).map(Number);
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('carpd.cjs');
    } catch {
      return false;
    }
  });
}

/** What carpdeck leaves on a node: its files, and any upload folder of a login. */
const carpdeckFiles = (i: number) => asRootOn(i, 'ls -d /opt/carpd /etc/carpd /var/lib/carpd /var/lib/carpdeck-pairing-backup /tmp/carpdeck-upload.* 2>/dev/null; true').trim();

describe.skipIf(!canRun)('deploy and control through a non-root SSH login with sudo', () => {
  beforeAll(async () => {
    cli = await prepareCli();
    const up = await cli.run(['lab', 'up', '--json', '--name', name]);
    expect(up.code).toBe(0);
    lab = JSON.parse(up.stdout) as LabJson;
    cluster = new ClusterService({ credentials: new MemoryCredentialStore(), knownHostsFile: join(cli.root, 'known-hosts.json'), bundle: () => localBundle(cli.root), backoff: () => 1500 });
    void (async () => {
      for await (const u of cluster.nodes(ac.signal)) latest = u;
    })().catch(() => undefined);
  });

  afterAll(async () => {
    ac.abort();
    cluster?.dispose();
    if (cli) {
      await cli.run(['lab', 'down', '--name', name]);
      rmSync(cli.root, { recursive: true, force: true });
    }
  });

  it('the lab nodes have a login with password-less sudo and one without', () => {
    expect(lab.nodes.map((n) => [n.user, n.logins])).toEqual([
      ['root', { sudo: 'carptech', plain: 'carpguest' }],
      ['root', { sudo: 'carptech', plain: 'carpguest' }],
    ]);
  });

  it('a login without password-less sudo is refused before anything is changed, with the sudoers line to add', async () => {
    const file = join(cli.root, 'fw1.json');
    writeFileSync(file, config(0));
    const refused = await cli.run(['deploy', '--node', login(0, 'plain'), '-i', key(), '--config', file, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`deploy: ${login(0, 'plain')}: deploy needs root, but carpguest is not root and sudo asks it for a password`);
    expect(refused.stderr).toContain('nothing was changed');
    expect(refused.stderr).toContain('run "visudo -f /etc/sudoers.d/carpdeck" on the node as root and add the line "carpguest ALL=(ALL) NOPASSWD: ALL"');
    expect(refused.stderr).not.toMatch(/uploading|permission denied/i);
    expect(carpdeckFiles(0)).toBe('');
  });

  it('the control panel deploys both blank nodes through sudo: root-owned files, carpd runs as root, the pair elects fw1', async () => {
    for (const i of [0, 1]) {
      expect((await connect(login(i, 'sudo'))).at(-1)).toMatchObject({ kind: 'connected', node: login(i, 'sudo') });
      const progress = await collect(cluster.deploy({ node: login(i, 'sudo'), config: config(i), configName: `fw${i + 1}.json` }));
      expect(progress.filter((p) => p.step === 'upload').at(-1)).toMatchObject({ sent: expect.any(Number) });
      expect(progress.at(-1)).toMatchObject({ status: 'done', done: { ok: true, message: expect.stringMatching(/under supervisor; uploaded \d+ file/) } });
      expect(asRootOn(i, 'find /opt/carpd /etc/carpd ! -user root | wc -l').trim()).toBe('0');
      expect(asRootOn(i, 'ps -o user= -p "$(cat /run/carpd.pid)"').trim()).toBe('root');
      expect(asRootOn(i, 'ls -d /tmp/carpdeck-upload.* 2>/dev/null; true').trim()).toBe('');
    }
    const backup = () => node(login(1, 'sudo'))?.carpd?.vhids.map((v) => v.state).join() === 'BACKUP,BACKUP';
    await until('fw1 MASTER of both vhids, fw2 BACKUP, polled through sudo', () => (masterOf(1) === 'fw1' && masterOf(2) === 'fw1' && backup() ? true : undefined));
    expect(node(login(1, 'sudo'))?.carpd).toMatchObject({ running: true, name: 'fw2' });
  });

  it('maintenance through sudo moves the VIPs to fw2 and back', async () => {
    const on = await collect(cluster.action('maintenance-on', login(0, 'sudo')));
    expect(on.at(-1)).toMatchObject({ status: 'done', done: { ok: true, message: expect.stringMatching(/^VIPs moved in [\d.]+ s: fw2 is MASTER of vhid 1, 2/) } });
    expect(asRootOn(1, 'ip -br addr show lan')).toContain('10.0.1.1/24');
    expect(asRootOn(0, 'ip -br addr show lan')).not.toContain('10.0.1.1/24');
    const off = await collect(cluster.action('maintenance-off', login(0, 'sudo')));
    expect(off.at(-1)).toMatchObject({ status: 'done', done: { ok: true, message: expect.stringMatching(/fw1 left maintenance .*MASTER now: vhid 1 fw1, vhid 2 fw1/) } });
    expect(asRootOn(0, 'ip -br addr show lan')).toContain('10.0.1.1/24');
  });

  it('restart through sudo brings carpd back with a new pid', async () => {
    const oldPid = Number(asRootOn(0, 'cat /run/carpd.pid'));
    const progress = await collect(cluster.action('restart', login(0, 'sudo')));
    expect(progress.at(-1)).toMatchObject({ status: 'done', done: { ok: true, message: expect.stringMatching(/^carpd restarted on fw1 under supervisor/) } });
    expect(Number(asRootOn(0, 'cat /run/carpd.pid'))).not.toBe(oldPid);
  });

  it('the panel shows a login without sudo as no-privileges with the fix, and its deploy changes nothing', async () => {
    const before = asRootOn(0, 'sha256sum /etc/carpd/carpd.json; cat /run/carpd.pid');
    expect((await connect(login(0, 'plain'))).at(-1)).toMatchObject({ kind: 'connected' });
    const status = await until('the plain login\'s status error', () => node(login(0, 'plain'))?.carpd?.error);
    expect(status).toMatchObject({ code: 'no-privileges', fix: expect.stringContaining('carpguest ALL=(ALL) NOPASSWD: ALL') });
    const progress = await collect(cluster.deploy({ node: login(0, 'plain'), config: config(0).replace('lab-secret', 'changed') }));
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatchObject({ status: 'failed', done: { ok: false, error: { code: 'no-privileges', fix: expect.stringContaining('visudo -f /etc/sudoers.d/carpdeck') } } });
    const maintenance = await collect(cluster.action('maintenance-on', login(0, 'plain')));
    expect(maintenance.at(-1)).toMatchObject({ status: 'failed', done: { ok: false, error: { code: 'no-privileges' } } });
    expect(asRootOn(0, 'sha256sum /etc/carpd/carpd.json; cat /run/carpd.pid')).toBe(before);
  });

  it('uninstall through sudo leaves no carpd file, process or VIP', async () => {
    for (const i of [1, 0]) {
      const r = await cli.run(['uninstall', '--node', login(i, 'sudo'), '-i', key(), '--yes']);
      expect(r.stderr).not.toMatch(/denied|failed/i);
      expect(r.code).toBe(0);
      expect(carpdeckFiles(i)).toBe('');
      expect(asRootOn(i, 'ip -br addr show lan')).not.toContain('10.0.1.1/24');
      expect(carpdIn(lab.nodes[i].namespace)).toEqual([]);
    }
  });

  it('the pairing apply steps run through sudo: staged and checked, activated, then rolled back to blank', async () => {
    const session = await connectSsh({
      target: { user: lab.nodes[0].logins.sudo, host: lab.nodes[0].address, port: 22 },
      auth: { privateKey: readFileSync(key(), 'utf8') },
      knownHosts: new KnownHostsStore(join(cli.root, 'pairing-known-hosts.json')),
      prompter: scriptPrompter(true, () => undefined),
    });
    try {
      const files = [
        { path: '/etc/carpd/carpd.json', content: config(0), mode: 0o600 },
        { path: '/etc/carpd/sync/node.crt', content: 'not a real certificate\n', mode: 0o644 },
      ];
      const ops = sshNodeOps(session, 'primary', () => localBundle(cli.root), files, [{ interface: 'lan', vip: '10.0.1.1/24' }]);
      expect(await ops.snapshot()).toBe(`${login(0, 'sudo')} has no carpd yet (a rollback makes it blank again)`);
      expect(await ops.stage()).toMatch(/^Staged on carptech@.*2 file\(s\) checked by carpd --check$/);
      expect(asRootOn(0, 'stat -c "%U %a" /etc/carpd/.pairing-stage/carpd.json /etc/carpd/.pairing-stage/sync/node.crt')).toBe('root 600\nroot 644\n');
      expect(await ops.activate()).toMatch(/^carpd \S+ runs on carptech@/);
      expect(asRootOn(0, 'ps -o user= -p "$(cat /run/carpd.pid)"; cat /etc/carpd/sync/node.crt')).toBe('root\nnot a real certificate\n');
      expect(await ops.rollback()).toMatch(/^carptech@\S+ is blank again/);
      expect(carpdeckFiles(0)).toBe('');
      expect(carpdIn(lab.nodes[0].namespace)).toEqual([]);
    } finally {
      session.close();
    }
  });

  it('carpdeck pair through sudo logins: preflight, two-phase apply, verify and a maintenance drill through the VIP', async () => {
    const r = await cli.run(['pair', '--primary', login(0, 'sudo'), '--secondary', login(1, 'sudo'), '-i', key(), '--yes', '--json', '--listen', '1', '--drill']);
    if (r.code !== 0) console.error(r.stderr);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { verify?: { ok: boolean }; drill?: { phases: { name: string; newMaster: string | null; flowSurvived: boolean }[] } };
    expect(out.verify?.ok).toBe(true);
    expect(out.drill?.phases.map((p) => [p.name, p.newMaster, p.flowSurvived])).toEqual([
      ['maintenance-enter', 'secondary', true],
      ['maintenance-leave', 'primary', true],
    ]);
    for (const i of [0, 1]) expect(asRootOn(i, 'find /opt/carpd /etc/carpd ! -user root | wc -l; ps -o user= -p "$(cat /run/carpd.pid)"')).toBe('0\nroot\n');
    expect(asRootOn(0, 'ip -br addr show lan')).toContain('10.0.1.1/24');
  });
});
