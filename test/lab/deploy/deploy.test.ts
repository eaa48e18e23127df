// Issue 7 in the lab with real sshd: lab up, deploy to both blank nodes from the CLI, the pair elects, a repeat
// deploy sends only the config, host key and login failures read clearly, the supervisor restarts a killed carpd,
// maintenance moves the VIPs and the event stream shows it, uninstall is clean and lab down leaves nothing.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCli, type Cli } from './cli.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/sshd');
if (!canRun) console.warn('deploy lab suite skipped: needs root and /usr/sbin/sshd (openssh-server)');

interface LabJson {
  name: string;
  management: { subnet: string; bridge: string };
  nodes: { name: string; namespace: string; address: string; user: string; keyFile: string; passwordFile: string; hostKeyFingerprint: string; interfaces: { lan: string; wan: string; sync: string } }[];
  client: { namespace: string; address: string };
  server: { namespace: string; address: string };
}

interface StatusJson {
  nodes: { node: string; status?: { node: string; vhids: { vhid: number; state: string }[] }; error?: string }[];
}

const name = `dt${process.pid % 100000}`;
let cli: Cli;
let lab: LabJson;
const node = (i: number) => `${lab.nodes[i].user}@${lab.nodes[i].address}`;
const key = () => lab.nodes[0].keyFile;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A shell on the node over the system ssh client (independent of the code under test). */
function onNode(i: number, script: string): string {
  return execFileSync('ssh', ['-i', key(), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', node(i), script], { encoding: 'utf8' });
}

function config(i: number): string {
  const file = join(cli.root, `fw${i + 1}.json`);
  const vhid = (vhid: number, ifname: string, vip: string) => ({ vhid, interface: ifname, advskew: i * 100, password: 'lab-secret', vips: [vip] });
  writeFileSync(file, JSON.stringify({ node: `fw${i + 1}`, syslog: false, vhids: [vhid(1, 'lan', '10.0.1.1/24'), vhid(2, 'wan', '198.51.100.1/24')] }));
  return file;
}

async function status(): Promise<StatusJson> {
  const r = await cli.run(['status', '--json', '--node', node(0), '--node', node(1), '-i', key()]);
  return JSON.parse(r.stdout) as StatusJson;
}

/** vhid -> the node names that are MASTER of it, once each vhid has exactly one master (or the last picture). */
async function waitForMasters(expected: string, timeoutMs = 15_000): Promise<Record<number, string[]>> {
  const deadline = Date.now() + timeoutMs;
  let masters: Record<number, string[]> = {};
  while (Date.now() < deadline) {
    masters = {};
    for (const n of (await status()).nodes) for (const v of n.status?.vhids ?? []) if (v.state === 'MASTER') (masters[v.vhid] ??= []).push(n.status!.node);
    if (masters[1]?.join() === expected && masters[2]?.join() === expected) return masters;
    await sleep(300);
  }
  return masters;
}

describe.skipIf(!canRun)('deploy and control carpd over SSH in the lab', () => {
  beforeAll(async () => {
    cli = await prepareCli();
    const up = await cli.run(['lab', 'up', '--json', '--name', name]);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    lab = JSON.parse(up.stdout) as LabJson;
  });

  afterAll(async () => {
    if (cli) {
      await cli.run(['lab', 'down', '--name', name]);
      rmSync(cli.root, { recursive: true, force: true });
    }
  });

  it('lab up describes two sshd nodes with LAN, WAN and sync, a client and a server, and is idempotent', async () => {
    expect(lab.nodes.map((n) => [n.name, n.user, n.interfaces])).toEqual([
      ['fw1', 'root', { lan: 'lan', wan: 'wan', sync: 'sync' }],
      ['fw2', 'root', { lan: 'lan', wan: 'wan', sync: 'sync' }],
    ]);
    expect(lab.client).toMatchObject({ namespace: `${name}-client`, address: '10.0.1.100' });
    expect(lab.server).toMatchObject({ namespace: `${name}-server`, address: '198.51.100.100' });
    expect(onNode(1, 'hostname; test -d /opt && ls -A /opt | wc -l').split('\n').slice(0, 2)).toEqual(['fw2', '0']);
    const again = await cli.run(['lab', 'up', '--json', '--name', name]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already up/);
    expect((JSON.parse(again.stdout) as LabJson).nodes.map((n) => n.address)).toEqual(lab.nodes.map((n) => n.address));
    const st = await cli.run(['lab', 'status', '--json', '--name', name]);
    expect(st.code).toBe(0);
    expect(JSON.parse(st.stdout)).toMatchObject({ up: true, problems: [] });
  });

  it('refuses an unknown host key without --yes and shows its fingerprint', async () => {
    const r = await cli.run(['deploy', '--node', node(0), '-i', key(), '--config', config(0)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not known yet');
    expect(r.stderr).toContain(lab.nodes[0].hostKeyFingerprint);
    expect(existsSync(cli.knownHosts)).toBe(false);
    const wrong = await cli.run(['status', '--node', node(0), '-i', key(), '--host-key', lab.nodes[1].hostKeyFingerprint]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`is ssh-ed25519 ${lab.nodes[0].hostKeyFingerprint}, not the one given with --host-key`);
    expect(existsSync(cli.knownHosts)).toBe(false);
  });

  it('pins a first-seen host key that matches the fingerprint given with --host-key', async () => {
    const r = await cli.run(['status', '--json', '--node', node(0), '-i', key(), '--host-key', lab.nodes[0].hostKeyFingerprint]);
    expect(r.stderr).toContain(`matches the given fingerprint: ssh-ed25519 ${lab.nodes[0].hostKeyFingerprint}`);
    expect(JSON.parse(readFileSync(cli.knownHosts, 'utf8')).hosts).toMatchObject([{ host: lab.nodes[0].address, port: 22, fingerprint: lab.nodes[0].hostKeyFingerprint }]);
  });

  it('deploys to both blank nodes (--yes accepting the key of fw2 and printing its fingerprint), and the pair elects fw1', async () => {
    for (const i of [0, 1]) {
      const r = await cli.run(['deploy', '--node', node(i), '-i', key(), '--config', config(i), '--yes', '--json']);
      if (i === 1) expect(r.stderr).toContain(`accepted new host key of ${lab.nodes[i].address}: ssh-ed25519 ${lab.nodes[i].hostKeyFingerprint}`);
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout) as { serviceManager: string; uploadedFiles: string[]; restarted: boolean };
      expect(result.serviceManager).toBe('supervisor');
      expect(result.uploadedFiles).toContain('node');
      expect(result.restarted).toBe(true);
    }
    expect(await waitForMasters('fw1')).toEqual({ 1: ['fw1'], 2: ['fw1'] });
    expect(onNode(0, 'ip -br addr show lan')).toContain('10.0.1.1/24');
    expect(onNode(1, 'ip -br addr show lan')).not.toContain('10.0.1.1/24');
    // the client reaches the server through the VIPs (the master routes)
    execFileSync('ip', ['netns', 'exec', lab.client.namespace, 'ping', '-c', '1', '-W', '2', lab.server.address]);
  });

  it('a repeat deploy uploads nothing but the config and leaves carpd running', async () => {
    const pid = onNode(0, 'cat /run/carpd.pid').trim();
    const r = await cli.run(['deploy', '--node', node(0), '-i', key(), '--config', config(0), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ uploadedFiles: [], uploadedBytes: 0, configChanged: false, restarted: false });
    expect(onNode(0, 'cat /run/carpd.pid').trim()).toBe(pid);
  });

  it('a config carpd rejects is refused on the node and the running config stays', async () => {
    const bad = join(cli.root, 'bad.json');
    writeFileSync(bad, JSON.stringify({ node: 'fw1', vhids: [{ vhid: 300, interface: 'lan', vips: ['10.0.1.1/24'] }] }));
    const r = await cli.run(['deploy', '--node', node(0), '-i', key(), '--config', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/carpd rejected .*bad\.json: .*vhids\[0\]\.vhid: must be 1\.\.255, got 300/s);
    expect(JSON.parse(onNode(0, 'cat /etc/carpd/carpd.json')).vhids[0].vhid).toBe(1);
    expect(onNode(0, 'ls /etc/carpd')).toBe('carpd.json\n');
  });

  it('an update sends only the changed daemon file, keeps the previous version, and rolls back to it', async () => {
    const before = JSON.parse((await cli.run(['deploy', '--node', node(1), '-i', key(), '--config', config(1), '--json'])).stdout) as { version: string };
    appendFileSync(join(cli.root, 'dist', 'daemon', 'carpd.cjs'), '\n// a new build\n');
    const update = await cli.run(['deploy', '--node', node(1), '-i', key(), '--config', config(1), '--json']);
    expect(update.code).toBe(0);
    const updated = JSON.parse(update.stdout) as { version: string; previous: string; uploadedFiles: string[]; restarted: boolean };
    expect(updated).toMatchObject({ previous: before.version, uploadedFiles: ['carpd.cjs'], restarted: true });
    expect(updated.version).not.toBe(before.version);
    expect(onNode(1, 'readlink /opt/carpd/current /opt/carpd/previous')).toBe(`${updated.version}\n${before.version}\n`);
    const back = await cli.run(['deploy', '--node', node(1), '-i', key(), '--rollback', '--json']);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ from: updated.version, to: before.version });
    expect(onNode(1, 'readlink /opt/carpd/current /opt/carpd/previous')).toBe(`${before.version}\n${updated.version}\n`);
    expect(await waitForMasters('fw1')).toEqual({ 1: ['fw1'], 2: ['fw1'] });
  });

  it('a wrong key, a wrong password and an unreachable host give clear errors; the right password logs in', async () => {
    const otherKey = join(cli.root, 'other_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const wrongKey = await cli.run(['status', '--node', node(0), '-i', otherKey]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toMatch(/refused the login: wrong password or key/);

    const badPassword = join(cli.root, 'bad-password');
    writeFileSync(badPassword, 'not-the-password\n');
    const wrongPassword = await cli.run(['status', '--node', node(0), '--password-file', badPassword]);
    expect(wrongPassword.code).toBe(1);
    expect(wrongPassword.stdout).toMatch(/refused the login: wrong password or key/);

    const right = await cli.run(['status', '--json', '--node', node(0), '--password-file', lab.nodes[0].passwordFile]);
    expect(right.code).toBe(0);
    expect((JSON.parse(right.stdout) as StatusJson).nodes[0].status?.node).toBe('fw1');

    const absent = lab.management.subnet.replace(/\.0\/24$/, '.99');
    const unreachable = await cli.run(['status', '--node', `root@${absent}`, '-i', key()]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toContain(`root@${absent} is unreachable`);
  });

  it('refuses a changed host key even with --yes', async () => {
    const saved = readFileSync(cli.knownHosts, 'utf8');
    const store = JSON.parse(saved) as { hosts: { host: string; fingerprint: string }[] };
    store.hosts.find((h) => h.host === lab.nodes[1].address)!.fingerprint = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    writeFileSync(cli.knownHosts, JSON.stringify(store));
    const r = await cli.run(['deploy', '--node', node(1), '-i', key(), '--config', config(1), '--yes']);
    writeFileSync(cli.knownHosts, saved);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/host key of root@\S+ has CHANGED/);
    expect(r.stderr).toContain(lab.nodes[1].hostKeyFingerprint);
  });

  it('the supervisor restarts carpd after a SIGKILL on a node without systemd', async () => {
    expect(onNode(0, 'test -d /run/systemd/system && echo systemd || echo none').trim()).toBe('none');
    const pid = Number(onNode(0, 'cat /run/carpd.pid'));
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    let now = pid;
    while (Date.now() < deadline && (now === pid || Number.isNaN(now))) {
      await sleep(200);
      now = Number(onNode(0, 'cat /run/carpd.pid 2>/dev/null || echo x'));
    }
    expect(now).not.toBe(pid);
    expect(await waitForMasters('fw1')).toEqual({ 1: ['fw1'], 2: ['fw1'] });
  });

  it('maintenance moves the VIPs to the peer and back, and the followed event stream shows both nodes', async () => {
    const follow = cli.spawn(['events', '--follow', '--json', '--node', node(0), '--node', node(1), '-i', key()]);
    const lines: { source: string; seq: number; vhid?: number; old?: string; new?: string }[] = [];
    let carry = '';
    follow.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const parts = (carry + d).split('\n');
      carry = parts.pop() ?? '';
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p));
    });
    try {
      await sleep(1500);
      const before = lines.length;
      expect((await cli.run(['maintenance', 'on', '--node', node(0), '-i', key()])).code).toBe(0);
      expect(await waitForMasters('fw2')).toEqual({ 1: ['fw2'], 2: ['fw2'] });
      const deadline = Date.now() + 5000;
      const took = () => lines.slice(before).some((e) => e.source === node(1) && e.new === 'MASTER');
      while (!took() && Date.now() < deadline) await sleep(100);
      const fresh = lines.slice(before);
      expect(fresh.some((e) => e.source === node(0) && e.old === 'MASTER' && e.new === 'BACKUP')).toBe(true);
      expect(took()).toBe(true);
      for (const src of [node(0), node(1)]) {
        const seqs = lines.filter((e) => e.source === src).map((e) => e.seq);
        expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
      }
      expect((await cli.run(['maintenance', 'off', '--node', node(0), '-i', key()])).code).toBe(0);
      expect(await waitForMasters('fw1')).toEqual({ 1: ['fw1'], 2: ['fw1'] });
    } finally {
      follow.kill('SIGTERM');
    }
  });

  it('failover moves the VIPs off the master and reports when the peer has them', async () => {
    const r = await cli.run(['failover', '--json', '--node', node(0), '--node', node(1), '-i', key()]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ from: node(0), to: node(1), vhids: [1, 2] });
    expect(onNode(1, 'ip -br addr show lan')).toContain('10.0.1.1/24');
    expect((await cli.run(['maintenance', 'off', '--node', node(0), '-i', key()])).code).toBe(0);
    expect(await waitForMasters('fw1')).toEqual({ 1: ['fw1'], 2: ['fw1'] });
  });

  it('a followed event stream resumes after a dropped connection without gaps or repeats', async () => {
    const follow = cli.spawn(['events', '--follow', '--json', '--node', node(0), '-i', key()]);
    let out = '';
    let err = '';
    follow.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    follow.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    try {
      await sleep(1500);
      expect((await cli.run(['maintenance', 'on', '--node', node(0), '-i', key()])).code).toBe(0);
      // drop the stream's SSH connection on the node (its session process holds the pty)
      for (const pid of execFileSync('ip', ['netns', 'pids', lab.nodes[0].namespace], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sshd: root@pts')) process.kill(Number(pid), 'SIGTERM');
      }
      expect((await cli.run(['maintenance', 'off', '--node', node(0), '-i', key()])).code).toBe(0);
      const deadline = Date.now() + 8000;
      const seqs = () => out.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { seq: number }).seq);
      expect(await waitForMasters('fw1')).toEqual({ 1: ['fw1'], 2: ['fw1'] });
      const logged = onNode(0, '/opt/carpd/current/node /opt/carpd/current/carpctl.cjs events --json').trim().split('\n');
      const last = (JSON.parse(logged[logged.length - 1]) as { seq: number }).seq;
      while (seqs().at(-1) !== last && Date.now() < deadline) await sleep(100);
      expect(err).toMatch(/reconnecting in/);
      expect(seqs()).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    } finally {
      follow.kill('SIGTERM');
    }
  });

  it('uninstall leaves no VIP, no process and no file on either node', async () => {
    for (const i of [1, 0]) {
      const r = await cli.run(['uninstall', '--node', node(i), '-i', key()]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('carpd removed');
    }
    for (const i of [0, 1]) {
      expect(onNode(i, 'ip -br addr')).not.toMatch(/10\.0\.1\.1\/|198\.51\.100\.1\//);
      expect(onNode(i, 'ls -A /opt /var/lib /var/log; ls /etc/carpd /run/carpd.sock /run/carpd.pid /run/carpd-supervisor.pid 2>&1 | grep -c "No such"')).toBe('/opt:\n\n/var/lib:\n\n/var/log:\n4\n');
      const pids = execFileSync('ip', ['netns', 'pids', lab.nodes[i].namespace], { encoding: 'utf8' }).split('\n').filter(Boolean);
      const commands = pids.map((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8')).filter((c) => !c.startsWith('sshd'));
      expect(commands.filter((c) => c.includes('carpd'))).toEqual([]);
    }
    const st = await cli.run(['status', '--node', node(0), '-i', key()]);
    expect(st.code).toBe(1);
    expect(st.stdout).toMatch(/not installed/);
  });

  it('lab down removes the namespaces, the management link, the processes and the files', async () => {
    const r = await cli.run(['lab', 'down', '--name', name]);
    expect(r.code).toBe(0);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toMatch(new RegExp(`^${name}-`, 'm'));
    expect(() => execFileSync('ip', ['link', 'show', 'dev', lab.management.bridge], { stdio: 'pipe' })).toThrow();
    expect(existsSync(`/var/lib/carpdeck-lab/${name}`)).toBe(false);
    expect(execFileSync('ip', ['-4', 'route'], { encoding: 'utf8' })).not.toContain(lab.management.subnet);
    const again = await cli.run(['lab', 'status', '--name', name]);
    expect(again.code).toBe(1);
  });
});
