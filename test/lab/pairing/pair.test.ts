// Issue 8 items 2-6 in the lab with real sshd nodes. A failure while activating the second node (its carpd config
// broken between staging and activation) rolls both nodes back to blank, the first one included although carpd was
// already running there. Then `carpdeck pair` pairs the two blank nodes end to end: verified, drilled through the
// VIP from the lab's client (maintenance on and off, a link cut), and the report written as JSON and HTML. Then a
// failed second pairing of the running pair puts both nodes back exactly as they were; then `carpdeck pair` run again
// keeps what the pair runs (its vhid groups and config sync identities) and applies without a state change; a re-pair
// that changes only vips.json has carpd reload it, so only the changed group restarts; last, run again with an IPv6
// VIP it adds that group on both nodes and keeps the others.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tearDown } from '../../../electron/core/lab/down.js';
import type { LabState } from '../../../electron/core/lab/layout.js';
import { labUp } from '../../../electron/core/lab/up.js';
import { localBundle } from '../../../electron/core/deploy/artifacts.js';
import { ApplyError } from '../../../electron/core/pairing/apply.js';
import { createPairingEngine } from '../../../electron/core/pairing/index.js';
import { connectSsh } from '../../../electron/core/ssh/connect.js';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts.js';
import { scriptPrompter } from '../../../electron/core/ssh/prompter.js';
import type { SshSession } from '../../../electron/core/ssh/session.js';
import { CommissioningReportSchema, type CommissioningReport, type PairStep } from '../../../shared/pairing/schema.js';
import { prepareCli, type Cli } from '../deploy/cli.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/sshd') && existsSync('/usr/sbin/conntrackd');
if (!canRun) console.warn('pairing lab suite skipped: needs root, openssh-server and conntrackd');

const name = `pa${process.pid % 100000}`;
let state: LabState;
let dir: string;
let cli: Cli;

const target = (i: number) => `root@${state.nodes[i].address}`;

/** A shell on the node over the system ssh client (independent of the code under test). */
function onNode(i: number, script: string): string {
  return execFileSync('ssh', ['-i', state.nodes[i].keyFile, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', target(i), script], { encoding: 'utf8' });
}

/** Command lines of the processes in the node's network namespace that run carpd, its supervisor or conntrackd. */
function carpdProcesses(i: number): string[] {
  const pids = execFileSync('ip', ['netns', 'pids', state.nodes[i].namespace], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
  return pids
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {
        return '';
      }
    })
    .filter((c) => /carpd\.cjs|supervise\.sh|conntrackd/.test(c));
}

/** What of carpd is on the node: processes, the VIPs on its interfaces, and the files deploy and pairing write. */
function leftovers(i: number) {
  return {
    processes: carpdProcesses(i),
    vips: onNode(i, 'ip -o -4 addr show | grep -E " (10\\.0\\.1\\.1|198\\.51\\.100\\.1)/" || true').trim(),
    opt: readdirSync(join(state.nodes[i].root, 'opt')),
    etcCarpd: existsSync(join(state.nodes[i].root, 'etc', 'carpd')),
    varLib: onNode(i, 'ls -A /var/lib /run | grep -E "carpd|carpdeck" || true').trim(),
  };
}

const blank = { processes: [], vips: '', opt: [], etcCarpd: false, varLib: '' };

const CARPCTL = '/opt/carpd/current/node /opt/carpd/current/carpctl.cjs --socket /run/carpd.sock';

/** The node's vhid groups as vips.json has them: vhid, password, addresses. */
const groups = (i: number) => (JSON.parse(onNode(i, 'cat /etc/carpd/vips.json')) as { vhids: { vhid: number; password: string; vips: string[] }[] }).vhids.map((v) => [v.vhid, v.password, v.vips]);
const sha = (i: number, path: string) => onNode(i, `sha256sum ${path}`).split(' ')[0];

/** The state changes in carpd's event log on the node (they survive a restart, which logs its own). */
/** Waits until fw1 is MASTER and fw2 BACKUP of every vhid in `vhids`. */
async function expectSettled(vhids: number[]): Promise<void> {
  const sorted = [...vhids].sort((a, b) => a - b);
  const settled = `${sorted.map((v) => `${v}:MASTER`).join(',')}|${sorted.map((v) => `${v}:BACKUP`).join(',')}`;
  const byNumber = (a: string, b: string) => parseInt(a, 10) - parseInt(b, 10);
  let seen = '';
  const deadline = Date.now() + 45_000;
  while (seen !== settled && Date.now() < deadline) {
    await new Promise((res) => setTimeout(res, 500));
    seen = [0, 1].map((i) => vhidStates(i).sort(byNumber).join(',')).join('|');
  }
  expect(seen).toBe(settled);
}

const byVhid = (a: unknown[], b: unknown[]) => (a[0] as number) - (b[0] as number);

/** vhid:state of every group carpd runs on the node. */
const vhidStates = (i: number) => (JSON.parse(onNode(i, `${CARPCTL} status --json`)) as { vhids: { vhid: number; state: string }[] }).vhids.map((v) => `${v.vhid}:${v.state}`);

function stateEvents(i: number): { time: string; vhid: number | null; cause: string }[] {
  return onNode(i, `${CARPCTL} events --json`)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { time: string; kind: string; vhid: number | null; cause: string })
    .filter((e) => e.kind === 'state');
}

async function connect(i: number): Promise<SshSession> {
  return connectSsh({
    target: { user: 'root', host: state.nodes[i].address, port: 22 },
    auth: { privateKey: readFileSync(state.nodes[i].keyFile, 'utf8') },
    knownHosts: new KnownHostsStore(join(dir, 'known-hosts.json')),
    prompter: scriptPrompter(true, () => undefined),
  });
}

describe.skipIf(!canRun)('guided pairing in the lab', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'carpdeck-pairing-lab-'));
    cli = await prepareCli();
    state = (await labUp(name)).state;
  });

  afterAll(async () => {
    if (state) await tearDown(name);
    if (cli) rmSync(cli.root, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a failure while activating the second node rolls both back to blank, the running first node included', async () => {
    expect([leftovers(0), leftovers(1)]).toEqual([blank, blank]);
    const [primary, secondary] = await Promise.all([connect(0), connect(1)]);
    try {
      const engine = createPairingEngine({ primary, secondary });
      const pre = await engine.preflight({ listenSeconds: 1 }, () => undefined);
      expect(pre.ok).toBe(true);
      const { plan, problems } = await engine.plan();
      expect(problems).toEqual([]);
      const steps: PairStep[] = [];
      let primaryWhileRunning: ReturnType<typeof leftovers> | undefined;
      const onStep = async (s: PairStep) => {
        steps.push(s);
        if (s.phase === 'activate' && s.node === 'primary' && s.status === 'done') {
          primaryWhileRunning = leftovers(0);
          // the secondary's staged VIP list breaks: its activation must fail carpd's own check
          onNode(1, `printf '{"vhids": [{"vhid": 300, "interface": "lan", "vips": ["10.0.1.1/24"]}]}' > /etc/carpd/.pairing-stage/vips.json`);
        }
      };
      const error = await engine.apply(plan, onStep).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApplyError);
      expect((error as ApplyError).message).toMatch(/carpd rejected .*vhids\[0\]\.vhid: must be 1\.\.255, got 300.*; both nodes were rolled back to what they were before/s);
      expect(primaryWhileRunning?.processes.some((c) => c.includes('carpd.cjs'))).toBe(true);
      expect(primaryWhileRunning?.etcCarpd).toBe(true);
      const tail = steps.filter((s) => s.status !== 'running').slice(-3).map((s) => [s.phase, s.node, s.status]);
      expect(tail).toEqual([
        ['activate', 'secondary', 'failed'],
        ['rollback', 'secondary', 'done'],
        ['rollback', 'primary', 'done'],
      ]);
    } finally {
      primary.close();
      secondary.close();
    }
    expect([leftovers(0), leftovers(1)]).toEqual([blank, blank]);
  });

  it('carpdeck pair pairs the blank nodes end to end: verified, drilled through the VIP with the flow surviving, report written', async () => {
    const report = join(dir, 'site');
    const r = await cli.run([
      'pair', '--primary', target(0), '--secondary', target(1), '-i', state.nodes[0].keyFile, '--yes', '--json', '--listen', '1',
      '--drill', '--link-loss', '--probe-netns', state.client.namespace, '--probe-target', state.server.address, '--flow-server-netns', state.server.namespace,
      '--report', report,
    ]);
    if (r.code !== 0) console.error(r.stderr);
    expect(r.code).toBe(0);
    const out = CommissioningReportSchema.parse(JSON.parse(r.stdout)) as CommissioningReport;
    expect(out.verify?.ok).toBe(true);
    expect(out.verify?.masters).toEqual(out.plan.vips.map((v) => ({ vhid: v.vhid, master: 'primary' })));
    expect(out.plan.vips.map((v) => v.vips[0])).toEqual(['10.0.1.1/24', '198.51.100.1/24']);
    const phases = Object.fromEntries(out.drill!.phases.map((p) => [p.name, p]));
    expect(Object.keys(phases)).toEqual(['maintenance-enter', 'maintenance-leave', 'link-loss']);
    expect(phases['maintenance-enter']).toMatchObject({ flowSurvived: true, newMaster: 'secondary' });
    expect(phases['maintenance-leave']).toMatchObject({ flowSurvived: true, newMaster: 'primary' });
    expect(phases['link-loss']).toMatchObject({ flowSurvived: true, newMaster: 'secondary' });
    // a graceful handover is a blip; a cut link waits for the master-down timer (3 x advbase + skew/256 = 3.39 s)
    expect(phases['maintenance-enter'].interruptionMs).toBeGreaterThan(0);
    expect(phases['maintenance-enter'].interruptionMs).toBeLessThan(1000);
    expect(phases['link-loss'].interruptionMs).toBeGreaterThan(1000);
    expect(phases['link-loss'].interruptionMs).toBeLessThan(5000);
    expect(r.stderr).toMatch(/maintenance-enter: longest interruption \d+ ms/);
    expect(out.events.some((e) => /MASTER/.test(e.text))).toBe(true);

    const saved = CommissioningReportSchema.parse(JSON.parse(readFileSync(`${report}.json`, 'utf8')));
    expect(saved.plan.vips.every((v) => /^set \(16 bytes\)$/.test(v.password))).toBe(true);
    const html = readFileSync(`${report}.html`, 'utf8');
    expect(html).toContain('Commissioning report: fw1+fw2');
    const passwords = (JSON.parse(onNode(0, 'cat /etc/carpd/vips.json')) as { vhids: { password: string }[] }).vhids.map((v) => v.password);
    expect(passwords).toHaveLength(2);
    for (const p of passwords) {
      expect(r.stdout + r.stderr).not.toContain(p);
      expect(html).not.toContain(p);
      expect(readFileSync(`${report}.json`, 'utf8')).not.toContain(p);
    }

    // the pair carries traffic: the client reaches the server through the VIPs, held by fw1
    execFileSync('ip', ['netns', 'exec', state.client.namespace, 'ping', '-c', '1', '-W', '2', state.server.address]);
    expect(onNode(0, 'ip -br addr show lan')).toContain('10.0.1.1/24');
    expect(onNode(1, 'ip -br addr show lan')).not.toContain('10.0.1.1/24');

    const again = await cli.run(['report', `${report}.json`, '--html', join(dir, 'again.html')]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'again.html'), 'utf8')).toBe(html);
  });

  it('pairing a running pair again and failing on the second node puts both back exactly as they were, still running', async () => {
    const fingerprint = (i: number) => onNode(i, 'sha256sum /etc/carpd/carpd.json /etc/carpd/vips.json /etc/carpd/sync/node.crt /etc/carpd/sync/node.key; readlink /opt/carpd/current; ls -A /etc/carpd');
    const before = [fingerprint(0), fingerprint(1)];
    const [primary, secondary] = await Promise.all([connect(0), connect(1)]);
    try {
      const engine = createPairingEngine({ primary, secondary });
      expect((await engine.preflight({ listenSeconds: 1 }, () => undefined)).ok).toBe(true);
      const proposed = await engine.plan();
      expect(proposed.problems).toEqual([]);
      // the pair's groups are kept as they run; another advskew for the primary makes its config really differ
      expect(proposed.plan.vips.map((v) => [v.vips[0], v.kept])).toEqual([
        ['10.0.1.1/24', true],
        ['198.51.100.1/24', true],
      ]);
      const { plan, problems } = await engine.plan({ ...proposed.plan, advskew: { ...proposed.plan.advskew, primary: 10 } });
      expect(problems).toEqual([]);
      const steps: PairStep[] = [];
      const error = await engine
        .apply(plan, async (s) => {
          steps.push(s);
          if (s.phase === 'activate' && s.node === 'primary' && s.status === 'done') {
            expect(fingerprint(0)).not.toBe(before[0]);
            onNode(1, `printf '{"vhids": [{"vhid": 0, "interface": "lan", "vips": ["10.0.1.1/24"]}]}' > /etc/carpd/.pairing-stage/vips.json`);
          }
        })
        .then(
          () => undefined,
          (e: unknown) => e as ApplyError,
        );
      expect(error?.rolledBack).toBe(true);
      expect(steps.filter((s) => s.phase === 'rollback' && s.status === 'done').map((s) => s.message)).toEqual([
        expect.stringMatching(/^root@\S+ is back to carpd \S+ with its previous configuration, running$/),
        expect.stringMatching(/^root@\S+ is back to carpd \S+ with its previous configuration, running$/),
      ]);
    } finally {
      primary.close();
      secondary.close();
    }
    expect([fingerprint(0), fingerprint(1)]).toEqual(before);
    // both carpds were restarted by the rollback: the primary takes its VIPs back once it is up (preemption)
    // (after its state sync's startup resync, which demotes it meanwhile)
    let states: (string | undefined)[] = [];
    const deadline = Date.now() + 45_000;
    let last = '';
    while (states.join('|') !== 'MASTER,MASTER|BACKUP,BACKUP' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const st = await cli.run(['status', '--json', '--node', target(0), '--node', target(1), '-i', state.nodes[0].keyFile]);
      last = st.stdout;
      states = (JSON.parse(st.stdout) as { nodes: { status?: { vhids: { state: string }[] } }[] }).nodes.map((n) => n.status?.vhids.map((v) => v.state).join(','));
    }
    if (states.join('|') !== 'MASTER,MASTER|BACKUP,BACKUP') console.error(last, onNode(0, 'tail -n 30 /var/log/carpd.log'));
    expect(states).toEqual(['MASTER,MASTER', 'BACKUP,BACKUP']);
    execFileSync('ip', ['netns', 'exec', state.client.namespace, 'ping', '-c', '1', '-W', '2', state.server.address]);
  });

  it('carpdeck pair run again on the running pair keeps its vhids, passwords and carpd.json, and neither node changes state', async () => {
    const before = [groups(0), groups(1)];
    const configs = [sha(0, '/etc/carpd/carpd.json'), sha(1, '/etc/carpd/carpd.json')];
    const vhids = before[0].map((g) => g[0]);
    const started = Date.now();
    // --listen 3: long enough to hear the pair's own adverts (sent every second) on both segments
    const r = await cli.run(['pair', '--primary', target(0), '--secondary', target(1), '-i', state.nodes[0].keyFile, '--yes', '--json', '--listen', '3']);
    if (r.code !== 0) console.error(r.stderr);
    expect(r.code).toBe(0);
    const out = CommissioningReportSchema.parse(JSON.parse(r.stdout));
    expect(out.preflight.nodes.map((n) => n.carpd?.vhids.map((g) => g.vhid))).toEqual([vhids, vhids]);
    expect(out.plan.vips.map((v) => [v.vhid, v.kept])).toEqual(vhids.map((v) => [v, true]));
    expect(out.verify?.ok).toBe(true);
    expect(r.stderr).toContain('primary: /etc/carpd/carpd.json unchanged');
    expect(r.stderr).toContain('secondary: /etc/carpd/carpd.json unchanged');
    expect([groups(0), groups(1)]).toEqual(before);
    expect([sha(0, '/etc/carpd/carpd.json'), sha(1, '/etc/carpd/carpd.json')]).toEqual(configs);
    // the logs have the pair's earlier transitions (so a restart's would show), none since the pairing began
    for (const i of [0, 1]) {
      const events = stateEvents(i);
      expect(events.some((e) => Date.parse(e.time) < started)).toBe(true);
      expect(events.filter((e) => Date.parse(e.time) >= started)).toEqual([]);
    }
    expect(onNode(0, 'ip -br addr show lan')).toContain('10.0.1.1/24');
  });

  it('a re-pair that changes only vips.json has carpd reload it: the changed group restarts, the others keep their state', async () => {
    const before = groups(0);
    const configs = [sha(0, '/etc/carpd/carpd.json'), sha(1, '/etc/carpd/carpd.json')];
    const [primary, secondary] = await Promise.all([connect(0), connect(1)]);
    const changed = before.find((g) => (g[2] as string[])[0] === '198.51.100.1/24')?.[0] as number;
    let started = 0;
    try {
      const engine = createPairingEngine({ primary, secondary }, { bundle: () => localBundle(cli.root) });
      expect((await engine.preflight({ listenSeconds: 3 }, () => undefined)).ok).toBe(true);
      const proposed = await engine.plan();
      // kept groups come per segment (LAN first): the order may differ from vips.json's, which carpd does not mind
      expect(proposed.plan.vips.map((v) => [v.vhid, v.kept]).sort(byVhid)).toEqual(before.map((g) => [g[0], true]).sort(byVhid));
      // the WAN group gets a new password (no longer kept): vips.json changes, carpd.json does not
      const edited = { ...proposed.plan, vips: proposed.plan.vips.map((v) => (v.vhid === changed ? { ...v, password: 'NewPassword01234', kept: false } : v)) };
      const { plan, problems, changes } = await engine.plan(edited);
      expect(problems).toEqual([]);
      expect(changes.map((c) => c.files.filter((f) => f.diff !== '').map((f) => f.path))).toEqual([['/etc/carpd/vips.json'], ['/etc/carpd/vips.json']]);
      started = Date.now();
      const steps: PairStep[] = [];
      await engine.apply(plan, (st) => void steps.push(st));
      expect(steps.filter((st) => st.phase === 'activate' && st.status === 'done').map((st) => st.message)).toEqual([
        expect.stringMatching(/reloaded: restarted .*\(\/etc\/carpd\/vips\.json changed\)$/),
        expect.stringMatching(/\(\/etc\/carpd\/vips\.json changed\)$|runs on \S+ under \w+$/),
      ]);
    } finally {
      primary.close();
      secondary.close();
    }
    expect(groups(0).map((g) => [g[0], g[1]]).sort(byVhid)).toEqual(before.map((g) => [g[0], g[0] === changed ? 'NewPassword01234' : g[1]]).sort(byVhid));
    expect([sha(0, '/etc/carpd/carpd.json'), sha(1, '/etc/carpd/carpd.json')]).toEqual(configs);
    const since = stateEvents(0).filter((e) => Date.parse(e.time) >= started);
    expect(since.filter((e) => e.vhid !== changed)).toEqual([]);
    expect(since.some((e) => e.vhid === changed && /configuration changed by reload/.test(e.cause))).toBe(true);
    // the restarted group elects again (fw1 takes it after its master-down time) before the next test looks
    await expectSettled(before.map((g) => g[0] as number));
  });
  it('carpdeck pair run again with an IPv6 VIP adds its group on both nodes and keeps the groups that run', async () => {
    onNode(0, 'ip -6 addr add fd00:1::2/64 dev lan nodad');
    onNode(1, 'ip -6 addr add fd00:1::3/64 dev lan nodad');
    const before = groups(0);
    const configs = [sha(0, '/etc/carpd/carpd.json'), sha(1, '/etc/carpd/carpd.json')];
    const started = Date.now();
    const r = await cli.run(['pair', '--primary', target(0), '--secondary', target(1), '-i', state.nodes[0].keyFile, '--yes', '--json', '--listen', '3', '--vip6', 'lan=fd00:1::1/64']);
    if (r.code !== 0) console.error(r.stderr);
    expect(r.code).toBe(0);
    const after = groups(0);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((g) => g[2])).toEqual([['fd00:1::1/64']]);
    expect(groups(1)).toEqual(after);
    const vhids = after.map((g) => g[0] as number);
    expect(new Set(vhids).size).toBe(vhids.length);
    // one overlay pointer gives every group the node's advskew: carpd.json stays, carpd reloads, only the new group starts
    expect([sha(0, '/etc/carpd/carpd.json'), sha(1, '/etc/carpd/carpd.json')]).toEqual(configs);
    const kept = before.map((g) => g[0] as number);
    for (const i of [0, 1]) expect(stateEvents(i).filter((e) => Date.parse(e.time) >= started && kept.includes(e.vhid as number))).toEqual([]);
    await expectSettled(vhids);
    expect(onNode(0, 'ip -br addr show lan')).toContain('fd00:1::1/64');
    expect(onNode(1, 'ip -br addr show lan')).not.toContain('fd00:1::1/64');

    // paired once more, the IPv6 VIP the primary holds is its group's, not the primary's own address: all kept
    const again = Date.now();
    const r2 = await cli.run(['pair', '--primary', target(0), '--secondary', target(1), '-i', state.nodes[0].keyFile, '--yes', '--json', '--listen', '3']);
    if (r2.code !== 0) console.error(r2.stderr);
    expect(r2.code).toBe(0);
    const out = CommissioningReportSchema.parse(JSON.parse(r2.stdout));
    expect(out.plan.vips.map((v) => [v.vhid, v.kept]).sort(byVhid)).toEqual(vhids.map((v) => [v, true]).sort(byVhid));
    for (const i of [0, 1]) expect(stateEvents(i).filter((e) => Date.parse(e.time) >= again)).toEqual([]);
  });

});
