// Issue 7 from the UI, in the lab with real sshd: Playwright drives Debian's Chromium through `carpdeck serve` to add
// both blank nodes (trusting their unknown host keys, one by key file and one by password), deploy carpd to both,
// see one MASTER and one BACKUP, see a link cut on the primary as a failover row in the timeline (with a desktop
// notification), move the VIPs with maintenance on and back with off, and see a changed host key refused.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildRenderer } from '../../support/renderer-build.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterPage } from '../../e2e/pages/cluster-page.js';
import { prepareCli, repo, type Cli } from '../deploy/cli.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/sshd') && existsSync('/usr/bin/chromium');
if (!canRun) console.warn('cluster UI lab suite skipped: needs root, /usr/sbin/sshd and /usr/bin/chromium');

interface LabJson {
  nodes: { name: string; namespace: string; address: string; user: string; keyFile: string; passwordFile: string; hostKeyFingerprint: string }[];
}

const name = `cu${process.pid % 100000}`;
let cli: Cli;
let lab: LabJson | undefined;
let serve: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let ui: ClusterPage;
let serveUrl: URL;
const problems: string[] = [];
const ARTIFACTS = join(repo, 'test', 'artifacts');

/** A full-page screenshot under test/artifacts, to look at what the test saw. */
async function snapshot(file: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });
}

const target = (i: number) => `${lab!.nodes[i].user}@${lab!.nodes[i].address}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A shell on the node over the system ssh client (independent of the code under test). */
function onNode(i: number, script: string): string {
  return execFileSync('ssh', ['-i', lab!.nodes[0].keyFile, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', target(i), script], {
    encoding: 'utf8',
  });
}

function config(i: number): string {
  const vhid = (vhid: number, ifname: string, vip: string) => ({ vhid, interface: ifname, advskew: i * 100, password: 'lab-secret', vips: [vip] });
  return JSON.stringify({ node: `fw${i + 1}`, syslog: false, vhids: [vhid(1, 'lan', '10.0.1.1/24'), vhid(2, 'wan', '198.51.100.1/24')] }, null, 2);
}

/** Waits until the node's card shows `state` for `vhid`. */
async function expectState(i: number, vhid: number, state: 'MASTER' | 'BACKUP', timeoutMs = 20_000): Promise<void> {
  await ui.vhidState(target(i), vhid).and(page.locator(`[data-state="${state}"]`)).waitFor({ timeout: timeoutMs });
}

/** A process's command line ('' once it has exited: short-lived sshd session processes come and go). */
function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

type Row = Awaited<ReturnType<ClusterPage['timeline']>>[number];

async function lastSeq(): Promise<number> {
  return Math.max(0, ...(await ui.timeline()).map((r) => r.seq));
}

/** The first timeline row that `match`es, once it is shown. */
async function waitForRow(match: (r: Row) => boolean, timeoutMs: number): Promise<Row> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await ui.timeline();
    const found = rows.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such timeline row within ${timeoutMs} ms; rows:\n${rows.map((r) => `${r.seq} ${r.cells.join(' | ')}`).join('\n')}`);
    await sleep(100);
  }
}

async function startServe(): Promise<string> {
  const env = { ...process.env, CARPDECK_ROOT: cli.root, CARPDECK_KNOWN_HOSTS: cli.knownHosts, XDG_CONFIG_HOME: join(cli.root, 'config') };
  serve = spawn(process.execPath, [join(cli.root, 'carpdeck.cjs'), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  serve.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  serve.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const m = /http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+/.exec(out);
    if (m) return m[0];
    if (serve.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`carpdeck serve did not print its address:\n${out}`);
}

describe.skipIf(!canRun)('the control panel drives a lab cluster (Chromium through carpdeck serve)', () => {
  beforeAll(async () => {
    cli = await prepareCli();
    await buildRenderer(join(cli.root, 'dist', 'renderer'));
    const up = await cli.run(['lab', 'up', '--json', '--name', name]);
    expect(up.code, up.stderr).toBe(0);
    lab = JSON.parse(up.stdout) as LabJson;
    const url = await startServe();
    serveUrl = new URL(url);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await context.grantPermissions(['notifications'], { origin: new URL(url).origin });
    // Records every desktop notification the page shows (Chromium's own popup is invisible in headless mode).
    await context.addInitScript(() => {
      const Native = window.Notification;
      const shown: string[] = [];
      (window as unknown as { shownNotifications: string[] }).shownNotifications = shown;
      class Recording extends Native {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(title);
        }
      }
      window.Notification = Recording as typeof Notification;
    });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    ui = new ClusterPage(page);
    await ui.goto(url);
  });

  afterAll(async () => {
    try {
      await browser?.close();
      if (serve && serve.exitCode === null) {
        const exited = new Promise((r) => serve!.once('exit', r));
        serve.kill('SIGINT');
        await exited;
      }
    } finally {
      if (cli) {
        await cli.run(['lab', 'down', '--name', name]);
        rmSync(cli.root, { recursive: true, force: true });
      }
    }
  });

  it('starts empty, then adds both nodes after showing each unknown host key exactly as OpenSSH prints it', async () => {
    await page.getByText('No nodes yet — add a firewall by its SSH address, or run carpdeck lab up to practise.').waitFor();
    await ui.addNode(target(0), { identity: lab!.nodes[0].keyFile });
    // what the firewall's console prints for the check the dialog suggests
    const [, consoleFp] = onNode(0, 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub').split(' ');
    expect(await ui.hostKeyDialog(lab!.nodes[0].address).locator('.host-key').textContent()).toBe(`ED25519 key fingerprint is ${consoleFp}`);
    expect(await ui.hostKeyFingerprint(lab!.nodes[0].address)).toBe(lab!.nodes[0].hostKeyFingerprint);
    await ui.answerHostKey(lab!.nodes[0].address, true);
    await ui.connectionState(target(0)).and(page.locator('[data-state="ready"]')).waitFor({ timeout: 20_000 });

    await ui.addNode(target(1), { password: readFileSync(lab!.nodes[1].passwordFile, 'utf8').trim() });
    expect(await ui.hostKeyFingerprint(lab!.nodes[1].address)).toBe(lab!.nodes[1].hostKeyFingerprint);
    // by keyboard: the dialog opens on Refuse; Tab moves to Trust, Enter presses it
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await ui.connectionState(target(1)).and(page.locator('[data-state="ready"]')).waitFor({ timeout: 20_000 });
  });

  it('deploys carpd to both blank nodes with an upload bar, and the pair shows one MASTER and one BACKUP', async () => {
    // fw1's config typed into the text area, fw2's picked as a file
    const fw2File = join(cli.root, 'fw2.json');
    writeFileSync(fw2File, config(1));
    for (const i of [0, 1]) {
      await ui.deploy(target(i), i === 0 ? config(0) : { file: fw2File });
      const title = `Deploy carpd · ${target(i)}`;
      await ui.run(title).getByRole('progressbar').waitFor({ timeout: 30_000 });
      expect(await ui.runResult(title, 150_000), await ui.run(title).textContent() ?? '').toBe('ok');
    }
    for (const vhid of [1, 2]) {
      await expectState(0, vhid, 'MASTER');
      await expectState(1, vhid, 'BACKUP');
    }
    expect(await ui.vhidState(target(0), 1).locator('.why').textContent()).not.toBe('');
    expect(onNode(0, 'ip -br addr show lan')).toContain('10.0.1.1/24');
    await snapshot('cluster-ui-elected.png');
  });

  it('shows a link cut on the primary as a failover row in the timeline within a second, with a desktop notification', async () => {
    await ui.enableNotifications();
    // note when each failover row appears in the page, to compare with the node's own time of the change
    await page.evaluate(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { rowSeen: Record<string, number> }).rowSeen = seen;
      new MutationObserver(() => {
        for (const tr of document.querySelectorAll('.timeline-table tr.failover')) seen[tr.getAttribute('data-seq')!] ??= Date.now();
      }).observe(document.body, { childList: true, subtree: true });
    });
    const before = await lastSeq();
    execFileSync('ip', ['-n', lab!.nodes[0].namespace, 'link', 'set', 'lan', 'down']);
    try {
      const row = await waitForRow((r) => r.seq > before && r.failover && r.cells[1] === target(1) && r.cells[3] === '1' && r.cells[4] === 'BACKUP → MASTER', 15_000);
      expect(row.cells[5].length).toBeGreaterThan(0);
      const appearedAt = await page.evaluate((seq) => (window as unknown as { rowSeen: Record<string, number> }).rowSeen[seq], String(row.seq));
      expect(appearedAt - Date.parse(row.time)).toBeLessThan(1000);
      await expect.poll(() => page.evaluate(() => (window as unknown as { shownNotifications: string[] }).shownNotifications.join('\n')), { timeout: 5000 }).toContain(`is now MASTER on ${target(1)}`);
      await expectState(1, 1, 'MASTER');
      const csv = await ui.exportTimeline('CSV');
      expect(csv.name).toMatch(/^carpdeck-timeline-.*\.csv$/);
      const line = csv.text.split('\r\n').find((l) => l.startsWith(`${row.seq},`)) ?? '';
      expect(line).toMatch(new RegExp(`^${row.seq},${row.time.replaceAll('.', '\\.')},${target(1).replaceAll('.', '\\.')},\\d+,state,1,BACKUP,MASTER,.+,true$`));
    } finally {
      execFileSync('ip', ['-n', lab!.nodes[0].namespace, 'link', 'set', 'lan', 'up']);
    }
    await waitForRow((r) => r.seq > before && r.cells[1] === target(0) && r.cells[3] === '1' && r.cells[4].endsWith('→ MASTER'), 30_000);
    await expectState(0, 1, 'MASTER');
    await expectState(1, 1, 'BACKUP');
  });

  it('maintenance on (confirmed first) moves the VIPs to the peer, and off moves them back', async () => {
    const before = await lastSeq();
    await ui.nodeAction(target(0), 'Maintenance on', true);
    expect(await ui.runResult(`Maintenance on · ${target(0)}`, 30_000)).toBe('ok');
    for (const vhid of [1, 2]) await expectState(1, vhid, 'MASTER');
    await expectState(0, 1, 'BACKUP');
    expect(onNode(1, 'ip -br addr show lan')).toContain('10.0.1.1/24');
    expect(onNode(0, 'ip -br addr show lan')).not.toContain('10.0.1.1/24');
    await waitForRow((r) => r.seq > before && r.cells[1] === target(0) && r.cells[4] === 'MASTER → BACKUP', 5000);
    await snapshot('cluster-ui-maintenance.png');

    await ui.nodeAction(target(0), 'Maintenance off');
    expect(await ui.runResult(`Maintenance off · ${target(0)}`, 30_000)).toBe('ok');
    for (const vhid of [1, 2]) await expectState(0, vhid, 'MASTER');
    expect(onNode(0, 'ip -br addr show lan')).toContain('10.0.1.1/24');
  });

  it('a dropped SSH session shows the retry countdown, comes back, and the timeline gets what happened meanwhile, each node event once', async () => {
    const ns = lab!.nodes[0].namespace;
    const before = await lastSeq();
    // new SSH connections to fw1 are refused while its current session is cut
    execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: 'table inet cutest {\n chain input {\n  type filter hook input priority 0;\n  tcp dport 22 ct state new reject with tcp reset\n }\n}\n' });
    try {
      for (const pid of execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
        if (cmdline(pid).startsWith('sshd: root@')) process.kill(Number(pid), 'SIGTERM');
      }
      const state = ui.connectionState(target(0));
      await state.and(page.locator('[data-state="backoff"]')).waitFor({ timeout: 10_000 });
      expect(await state.textContent()).toMatch(/^(Connection lost, retrying in \d+ s|Retrying now…)$/);
      // a change on fw1 while nobody watches it
      execFileSync('ip', ['-n', ns, 'link', 'set', 'wan', 'down']);
      await sleep(1500);
    } finally {
      execFileSync('ip', ['netns', 'exec', ns, 'nft', 'delete', 'table', 'inet', 'cutest']);
    }
    await ui.connectionState(target(0)).and(page.locator('[data-state="ready"]')).waitFor({ timeout: 40_000 });
    await waitForRow((r) => r.seq > before && r.cells[1] === target(0) && r.cells[3] === '2' && r.cells[4] === 'MASTER → INIT', 10_000);
    const down = await lastSeq();
    execFileSync('ip', ['-n', ns, 'link', 'set', 'wan', 'up']);
    // (the card alone could still show the status from before the cut)
    await waitForRow((r) => r.seq > down && r.cells[1] === target(0) && r.cells[3] === '2' && r.cells[4].endsWith('→ MASTER'), 30_000);
    const exported = JSON.parse((await ui.exportTimeline('JSON')).text) as { events: { seq: number; node: string; nodeSeq: number; kind: string }[] };
    const seqs = exported.events.map((e) => e.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    for (const t of [target(0), target(1)]) {
      const nodeSeqs = exported.events.filter((e) => e.node === t && e.kind !== 'connection' && e.kind !== 'action').map((e) => e.nodeSeq);
      expect(nodeSeqs.length).toBeGreaterThan(0);
      expect(nodeSeqs, t).toEqual(Array.from({ length: nodeSeqs.length }, (_, i) => nodeSeqs[0] + i));
    }
  });

  it('the timeline resumes after the page\'s connection to carpdeck serve drops: what happened meanwhile arrives, nothing twice, no seq missing', async () => {
    const ns = lab!.nodes[1].namespace;
    const before = await lastSeq();
    // cut the page's WebSocket (the server and its token stay), then change something on fw2 while the page reconnects
    execFileSync('ss', ['-K', '-t', 'state', 'established', `( sport = :${serveUrl.port} )`]);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'wan', 'down']);
    try {
      await page.getByRole('status', { name: 'Timeline stream' }).and(page.getByText(/resumed \d+×, nothing missed/)).waitFor({ timeout: 10_000 });
      await waitForRow((r) => r.seq > before && r.cells[1] === target(1) && r.cells[3] === '2' && r.cells[4].endsWith('→ INIT'), 10_000);
    } finally {
      execFileSync('ip', ['-n', ns, 'link', 'set', 'wan', 'up']);
    }
    await waitForRow((r) => r.seq > before && r.cells[1] === target(1) && r.cells[3] === '2' && r.cells[4] === 'INIT → BACKUP', 10_000);
    const seqs = (JSON.parse((await ui.exportTimeline('JSON')).text) as { events: { seq: number }[] }).events.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });

  it('refuses a changed host key with the red warning', async () => {
    // a "reinstalled" fw2: new host key; sshd loads it for each new connection
    onNode(1, 'rm -f /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key.pub && ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key');
    for (const pid of execFileSync('ip', ['netns', 'pids', lab!.nodes[1].namespace], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
      if (cmdline(pid).startsWith('/usr/sbin/sshd\0-D')) process.kill(Number(pid), 'SIGHUP');
    }
    await ui.node(target(1)).getByRole('button', { name: 'Disconnect' }).click();
    await ui.addNode(target(1), { identity: lab!.nodes[1].keyFile });
    const warning = ui.hostKeyChangedWarning(target(1));
    await warning.waitFor({ timeout: 20_000 });
    expect(await warning.textContent()).toContain('has CHANGED');
    expect(await warning.evaluate((el) => getComputedStyle(el).borderColor)).toBe('rgb(180, 35, 24)');
    expect(await ui.hostKeyDialog(lab!.nodes[1].address).count()).toBe(0);
    await snapshot('cluster-ui-key-changed.png');
    expect(problems).toEqual([]);
  });
});
