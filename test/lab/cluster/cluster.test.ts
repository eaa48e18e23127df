// The control panel backend against real sshd in the lab, through `carpdeck serve`'s WebSocket as the page uses it:
// TOFU prompt, changed key refused, wrong password, deploy to both blank nodes with upload progress, election with
// the why of each vhid, a link cut reaching the timeline within a second, maintenance moving the VIPs and back, and
// a dropped SSH connection resuming the timeline without a gap or a repeat.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { ConnectUpdate } from '../../../shared/api/cluster-contract.js';
import { ClusterService } from '../../../electron/core/cluster/service.js';
import { MemoryCredentialStore } from '../../../electron/core/credentials/store.js';
import { localBundle } from '../../../electron/core/deploy/artifacts.js';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts.js';
import { startServer, type RunningServer } from '../../../electron/headless/server.js';
import { prepareCli, type Cli } from '../deploy/cli.js';
import { collect, NodesReader, openClient, TimelineReader, until, type Client } from './client.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/sshd');
if (!canRun) console.warn('cluster lab suite skipped: needs root and /usr/sbin/sshd (openssh-server)');

interface LabJson {
  nodes: { name: string; namespace: string; address: string; user: string; keyFile: string; passwordFile: string; hostKeyFingerprint: string }[];
}

const name = `cl${process.pid % 100000}`;
let cli: Cli;
let lab: LabJson;
let server: RunningServer;
let cluster: ClusterService;
let client: Client;
let socket: WebSocket;
let nodes: NodesReader;
let timeline: TimelineReader;
const readers = new AbortController();
const id = (i: number) => `root@${lab.nodes[i].address}`;
const password = () => readFileSync(lab.nodes[0].passwordFile, 'utf8').trim();

function onNode(i: number, script: string): string {
  const n = lab.nodes[i];
  return execFileSync('ssh', ['-i', n.keyFile, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `${n.user}@${n.address}`, script], { encoding: 'utf8' });
}

function config(i: number): string {
  const vhid = (vhid: number, ifname: string, vip: string) => ({ vhid, interface: ifname, advskew: i * 100, password: 'lab-secret', vips: [vip] });
  return JSON.stringify({ node: `fw${i + 1}`, syslog: false, vhids: [vhid(1, 'lan', '10.0.1.1/24'), vhid(2, 'wan', '198.51.100.1/24')] });
}

async function connect(c: Client, input: Parameters<Client['cluster']['connect']>[0], answer: (p: Extract<ConnectUpdate, { kind: 'prompt' }>['prompt']) => { accept?: boolean; answers?: string[] }) {
  const updates: ConnectUpdate[] = [];
  for await (const u of await c.cluster.connect(input)) {
    updates.push(u);
    if (u.kind === 'prompt') await c.cluster.answer({ id: u.prompt.id, ...answer(u.prompt) });
  }
  return updates;
}

const stateOf = (i: number, vhid: number) => nodes.node(id(i))?.carpd?.vhids.find((v) => v.vhid === vhid)?.state;
const masters = (vhid: number) => [0, 1].filter((i) => stateOf(i, vhid) === 'MASTER').map((i) => `fw${i + 1}`).join();

describe.skipIf(!canRun)('control panel backend over SSH in the lab', () => {
  beforeAll(async () => {
    cli = await prepareCli();
    const up = await cli.run(['lab', 'up', '--json', '--name', name]);
    expect(up.code).toBe(0);
    lab = JSON.parse(up.stdout) as LabJson;
    const site = join(cli.root, 'site');
    mkdirSync(site);
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>CarpDeck</title>');
    cluster = new ClusterService({
      credentials: new MemoryCredentialStore(),
      knownHostsFile: join(cli.root, 'known-hosts.json'),
      bundle: () => localBundle(cli.root),
      backoff: () => 1500,
    });
    server = await startServer({ staticDir: site, cluster });
    ({ client, socket } = await openClient(server.port, server.token));
    nodes = new NodesReader(client, readers.signal);
    timeline = new TimelineReader(client, 0, readers.signal);
  });

  afterAll(async () => {
    readers.abort();
    // the client tells the server about the aborted streams on its next turn: close the socket after that
    await new Promise((r) => setTimeout(r, 100));
    socket?.close();
    await server?.close();
    if (cli) {
      await cli.run(['lab', 'down', '--name', name]);
      rmSync(cli.root, { recursive: true, force: true });
    }
  });

  it('an unknown host key is a prompt with the fingerprint ssh-keygen prints; accepting it connects (password and key logins)', async () => {
    const first = await connect(client, { target: id(0), password: password() }, (p) => ({ accept: p.type === 'host-key' }));
    expect(first).toEqual([
      { kind: 'prompt', prompt: { id: expect.any(String), type: 'host-key', host: lab.nodes[0].address, port: 22, keyType: 'ssh-ed25519', fingerprint: lab.nodes[0].hostKeyFingerprint } },
      { kind: 'connected', node: id(0), fingerprint: lab.nodes[0].hostKeyFingerprint },
    ]);
    const second = await connect(client, { target: id(1), identity: lab.nodes[1].keyFile }, (p) => ({ accept: p.type === 'host-key' && p.fingerprint === lab.nodes[1].hostKeyFingerprint }));
    expect(second.map((u) => u.kind)).toEqual(['prompt', 'connected']);
    await until('both nodes ready with carpd not installed', () =>
      [0, 1].every((i) => nodes.node(id(i))?.connection.state === 'ready' && nodes.node(id(i))?.carpd?.error?.code === 'not-installed') || undefined,
    );
  });

  it('a wrong password is refused with a clear error and leaves the connected session alone', async () => {
    const updates = await connect(client, { target: id(0), password: 'not-the-password' }, () => ({}));
    expect(updates).toEqual([{ kind: 'failed', error: { code: 'auth-failed', message: `${id(0)} refused the login: wrong password or key, or root may not log in that way`, fix: expect.any(String) } }]);
    expect(nodes.node(id(0))?.connection.state).toBe('ready');
  });

  it('a changed host key is refused with both fingerprints and never prompted', async () => {
    const other = join(cli.root, 'other-known-hosts.json');
    new KnownHostsStore(other).pin({ host: lab.nodes[1].address, port: 22, type: 'ssh-ed25519', fingerprint: lab.nodes[0].hostKeyFingerprint });
    const service = new ClusterService({ credentials: new MemoryCredentialStore(), knownHostsFile: other });
    try {
      const updates: ConnectUpdate[] = [];
      for await (const u of service.connect({ target: id(1), identity: lab.nodes[1].keyFile })) updates.push(u);
      expect(updates).toHaveLength(1);
      expect(updates[0]).toMatchObject({ kind: 'failed', error: { code: 'host-key-changed' } });
      const message = (updates[0] as Extract<ConnectUpdate, { kind: 'failed' }>).error.message;
      expect(message).toContain('has CHANGED');
      expect(message).toContain(lab.nodes[0].hostKeyFingerprint);
      expect(message).toContain(lab.nodes[1].hostKeyFingerprint);
    } finally {
      service.dispose();
    }
  });

  it('deploys to both blank nodes through the API with upload progress, and the pair elects fw1 with the why of each vhid', async () => {
    for (const i of [0, 1]) {
      const progress = await collect(await client.cluster.deploy({ node: id(i), config: config(i), configName: `fw${i + 1}.json` }));
      const uploads = progress.filter((p) => p.step === 'upload');
      expect(uploads.length).toBeGreaterThan(0);
      expect(uploads.every((p) => p.total !== undefined && p.sent !== undefined && p.sent <= p.total)).toBe(true);
      expect(uploads.at(-1)?.sent).toBe(uploads.at(-1)?.total);
      expect(progress.at(-1)).toMatchObject({ status: 'done', done: { ok: true, message: expect.stringMatching(/under supervisor; uploaded \d+ file/) } });
    }
    await until('fw1 MASTER of both vhids and fw2 BACKUP', () => (masters(1) === 'fw1' && masters(2) === 'fw1' && stateOf(1, 1) === 'BACKUP' ? true : undefined));
    const [fw1, fw2] = [nodes.node(id(0))!, nodes.node(id(1))!];
    expect(fw1.carpd).toMatchObject({ running: true, name: 'fw1', maintenance: false, version: expect.any(String) });
    expect(fw1.carpd!.vhids.map((v) => v.why)).toEqual(['MASTER: advertises skew 0, fw2 skew 100', 'MASTER: advertises skew 0, fw2 skew 100']);
    expect(fw2.carpd!.vhids[0].why).toBe('BACKUP: fw1 is master with lower skew (skew 0 vs 100 here)');
  });

  it('refuses a config with a mistake before sending anything, naming the field', async () => {
    const progress = await collect(await client.cluster.deploy({ node: id(0), config: JSON.stringify({ node: 'fw1', vhids: [{ vhid: 300, interface: 'lan', vips: ['10.0.1.1/24'] }] }) }));
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatchObject({ status: 'failed', done: { ok: false, error: { code: 'bad-config', message: expect.stringMatching(/vhids\[0\]\.vhid/) } } });
  });

  it('a link cut on the primary appears in the timeline within a second of the change on the node, and fw2 takes over', async () => {
    const after = timeline.lastSeq;
    execFileSync('ip', ['-n', lab.nodes[0].namespace, 'link', 'set', 'lan', 'down']);
    try {
      const cut = await until('fw1 vhid 1 leaving MASTER in the timeline', () => timeline.find((e) => e.node === id(0) && e.kind === 'state' && e.vhid === 1 && e.old === 'MASTER', after));
      expect(cut.at - cut.event.time).toBeLessThan(1000);
      expect(cut.event.cause).not.toBe('');
      const takeover = await until('fw2 MASTER of vhid 1 in the timeline', () => timeline.find((e) => e.node === id(1) && e.vhid === 1 && e.new === 'MASTER', after));
      expect(takeover.event.failover).toBe(true);
      expect(takeover.at - takeover.event.time).toBeLessThan(1000);
    } finally {
      execFileSync('ip', ['-n', lab.nodes[0].namespace, 'link', 'set', 'lan', 'up']);
    }
    await until('fw1 MASTER of both vhids again', () => (masters(1) === 'fw1' && masters(2) === 'fw1' ? true : undefined), 30_000);
  });

  it('maintenance-on moves the VIPs to fw2 (as the nodes report it), maintenance-off moves them back', async () => {
    const on = await collect(await client.cluster.action({ action: 'maintenance-on', node: id(0) }));
    expect(on.map((p) => p.step)).toEqual(['request', 'requested', 'wait', 'result']);
    expect(on.at(-1)).toMatchObject({ status: 'done', done: { ok: true, message: expect.stringMatching(/^VIPs moved in [\d.]+ s: fw2 is MASTER of vhid 1, 2; fw1 stays in maintenance/) } });
    expect(onNode(1, 'ip -br addr show lan')).toContain('10.0.1.1/24');
    expect(onNode(0, 'ip -br addr show lan')).not.toContain('10.0.1.1/24');
    await until('fw1 why says maintenance', () => (nodes.node(id(0))?.carpd?.vhids[0].why.startsWith('BACKUP: in maintenance (demotion') ? true : undefined));

    const off = await collect(await client.cluster.action({ action: 'maintenance-off', node: id(0) }));
    expect(off.at(-1)).toMatchObject({ status: 'done', done: { ok: true, message: expect.stringMatching(/fw1 left maintenance .*MASTER now: vhid 1 fw1, vhid 2 fw1/) } });
    expect(onNode(0, 'ip -br addr show lan')).toContain('10.0.1.1/24');
    expect(timeline.find((e) => e.kind === 'action' && e.cause.startsWith('maintenance-on: VIPs moved'))).toBeDefined();
  });

  it('restart carpd reports the new pid once carpd answers again, and the pair settles back on fw1', async () => {
    const oldPid = Number(onNode(0, 'cat /run/carpd.pid'));
    const progress = await collect(await client.cluster.action({ action: 'restart', node: id(0) }));
    expect(progress.at(-1)).toMatchObject({ status: 'done', done: { ok: true, message: expect.stringMatching(new RegExp(`^carpd restarted on fw1 under supervisor \\(pid ${oldPid} → \\d+\\)$`)) } });
    expect(Number(onNode(0, 'cat /run/carpd.pid'))).not.toBe(oldPid);
    await until('fw1 MASTER of both vhids after the restart', () => (masters(1) === 'fw1' && masters(2) === 'fw1' ? true : undefined), 30_000);
  });

  it('after the SSH connection drops, the timeline resumes with what happened meanwhile: no gap, no repeat', async () => {
    const before = timeline.lastSeq;
    // end the node's sshd processes serving our one long-lived connection (found by its socket on port 22)
    const ss = execFileSync('ip', ['netns', 'exec', lab.nodes[0].namespace, 'ss', '-Htnp', 'state', 'established', '( sport = :22 )'], { encoding: 'utf8' });
    const pids = [...new Set([...ss.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))];
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await until('fw1 in backoff', () => (nodes.node(id(0))?.connection.state === 'backoff' ? true : undefined), 10_000);
    // events on fw1 while nobody is listening
    onNode(0, '/opt/carpd/current/node /opt/carpd/current/carpctl.cjs demote 7 && /opt/carpd/current/node /opt/carpd/current/carpctl.cjs demote --reset');
    await until('fw1 ready again', () => (nodes.node(id(0))?.connection.state === 'ready' ? true : undefined), 15_000);
    const resumed = await until('the demotions made while disconnected', () => timeline.find((e) => e.node === id(0) && e.kind === 'demotion' && e.old === '7', before));
    expect(timeline.find((e) => e.kind === 'connection' && e.node === id(0) && e.new === 'backoff', before)).toBeDefined();
    expect(resumed.event.cause).not.toBe('');

    const fw1Seqs = timeline.events.filter((a) => a.event.node === id(0) && a.event.nodeSeq > 0).map((a) => a.event.nodeSeq);
    expect(fw1Seqs).toEqual(Array.from({ length: fw1Seqs.length }, (_, k) => fw1Seqs[0] + k));
    const seqs = timeline.events.map((a) => a.event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, k) => k + 1));

    // a page that reconnects resumes the merged timeline after the last seq it saw
    const seen = timeline.events[Math.floor(timeline.events.length / 2)].event.seq;
    const again = await openClient(server.port, server.token);
    const stop = new AbortController();
    try {
      const resumedReader = new TimelineReader(again.client, seen, stop.signal);
      await until('the replay', () => (resumedReader.lastSeq >= timeline.lastSeq ? true : undefined), 5000);
      expect(resumedReader.events.map((a) => a.event)).toEqual(timeline.events.filter((a) => a.event.seq > seen).map((a) => a.event).slice(0, resumedReader.events.length));
    } finally {
      stop.abort();
      await new Promise((r) => setTimeout(r, 100));
      again.socket.close();
    }
  });
});
