// Issue 8 from the UI, in the lab with real sshd: Playwright drives Debian's Chromium through `carpdeck serve` to
// connect both blank nodes in the wizard (trusting their host keys; one by key file, one by password), run the
// preflight until it passes, look at the plan with nothing applied yet, apply, verify, run the drill with a probe
// from the lab's client towards its server (a TCP echo flow included) and read its interruption, run it again with a
// link loss allowed, then download the commissioning report as HTML and JSON.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildRenderer } from '../../support/renderer-build.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissioningReport } from '../../../shared/pairing/schema.js';
import { PairingPage } from '../../e2e/pages/pairing-page.js';
import { prepareCli, type Cli } from '../deploy/cli.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/sshd') && existsSync('/usr/bin/chromium');
if (!canRun) console.warn('pairing UI lab suite skipped: needs root, /usr/sbin/sshd and /usr/bin/chromium');

interface LabJson {
  nodes: { name: string; namespace: string; address: string; user: string; keyFile: string; passwordFile: string; hostKeyFingerprint: string }[];
  client: { namespace: string; address: string };
  server: { namespace: string; address: string };
}

const ECHO_PORT = 7777;
const ECHO_SERVER = `require('net').createServer((s) => { s.on('error', () => {}); s.pipe(s); }).listen(${ECHO_PORT}, '0.0.0.0', () => console.log('listening'));`;

const name = `pu${process.pid % 100000}`;
let cli: Cli;
let lab: LabJson | undefined;
let serve: ChildProcess | undefined;
let echo: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let ui: PairingPage;
const problems: string[] = [];

// The steps build on each other: after one fails, the rest are skipped instead of waiting out their timeouts.
let broken = false;
function step(title: string, fn: () => Promise<void>, timeoutMs: number): void {
  it(title, async (ctx) => {
    if (broken) ctx.skip();
    try {
      await fn();
    } catch (e) {
      broken = true;
      throw e;
    }
  }, timeoutMs);
}

const target = (i: number) => `${lab!.nodes[i].user}@${lab!.nodes[i].address}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A shell on the node over the system ssh client (independent of the code under test). */
function onNode(i: number, script: string): string {
  return execFileSync('ssh', ['-i', lab!.nodes[0].keyFile, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', target(i), script], {
    encoding: 'utf8',
  });
}

async function waitForOutput(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const m = pattern.exec(out);
    if (m) return m[0];
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`${what} did not start:\n${out}`);
}

/** What the page shows that explains a failure: its alerts and the current step's summary. */
async function shown(): Promise<string> {
  const alerts = await page.getByRole('alert').allTextContents();
  const summary = await ui.summary().allTextContents();
  return `step ${await ui.currentStep()}; summary: ${summary.join(' | ')}; alerts: ${alerts.join(' | ')}`;
}

/** Stops a child we started; one that does not exit within 5 s is killed, so the lab is always taken down. */
async function stop(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

describe.skipIf(!canRun)('the pairing wizard pairs two blank lab nodes (Chromium through carpdeck serve)', () => {
  beforeAll(async () => {
    cli = await prepareCli();
    await buildRenderer(join(cli.root, 'dist', 'renderer'));
    const up = await cli.run(['lab', 'up', '--json', '--name', name]);
    expect(up.code, up.stderr).toBe(0);
    lab = JSON.parse(up.stdout) as LabJson;
    echo = spawn('ip', ['netns', 'exec', lab.server.namespace, process.execPath, '-e', ECHO_SERVER], { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForOutput(echo, /listening/, 'the TCP echo server in the lab server');
    const env = { ...process.env, CARPDECK_ROOT: cli.root, CARPDECK_KNOWN_HOSTS: cli.knownHosts, XDG_CONFIG_HOME: join(cli.root, 'config') };
    serve = spawn(process.execPath, [join(cli.root, 'carpdeck.cjs'), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await waitForOutput(serve, /http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+/, 'carpdeck serve');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    ui = new PairingPage(page);
    await ui.goto(url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stop(serve, 'SIGINT');
    await stop(echo, 'SIGTERM');
    if (cli) {
      await cli.run(['lab', 'down', '--name', name]);
      rmSync(cli.root, { recursive: true, force: true });
    }
  }, 120_000);

  step('connects both blank nodes in the wizard after showing each host key as OpenSSH prints it', async () => {
    expect(await ui.currentStep()).toBe('Connect');
    await ui.connect(target(0), lab!.nodes[0].keyFile);
    await ui.hostKeyDialog().waitFor({ timeout: 20_000 });
    expect(await ui.hostKeyFingerprint()).toBe(lab!.nodes[0].hostKeyFingerprint);
    await ui.answerHostKey(true);
    await ui.connected(target(0)).waitFor({ timeout: 20_000 });

    await ui.connect(target(1));
    await ui.hostKeyDialog().waitFor({ timeout: 20_000 });
    expect(await ui.hostKeyFingerprint()).toBe(lab!.nodes[1].hostKeyFingerprint);
    await ui.answerHostKey(true);
    await ui.answerPassword(target(1), readFileSync(lab!.nodes[1].passwordFile, 'utf8').trim());
    await ui.connected(target(1)).waitFor({ timeout: 20_000 });

    expect(await page.getByLabel('Primary firewall').inputValue()).toBe(target(0));
    expect(await page.getByLabel('Secondary firewall').inputValue()).toBe(target(1));
    await ui.button('Continue to preflight').click();
    await page.getByRole('heading', { name: 'Preflight' }).or(page.getByRole('alert')).first().waitFor();
    expect(await ui.currentStep(), await shown()).toBe('Preflight');
  }, 90_000);

  step('runs the preflight on both nodes until it passes, every check shown by node', async () => {
    await ui.summary().filter({ hasText: /Ready to plan|checks failed|did not finish/ }).waitFor({ timeout: 150_000 });
    const checks = await ui.checks();
    const failed = checks.filter(([, status]) => status === 'Failed');
    expect(failed, `${JSON.stringify(checks)} ${await shown()}`).toEqual([]);
    expect(await ui.summary().textContent()).toMatch(/^Ready to plan/);
    const groups = new Set(checks.map(([group]) => group));
    expect(groups).toContain(`Primary (${target(0)})`);
    expect(groups).toContain(`Secondary (${target(1)})`);
    await ui.button('Continue to plan').click();
  }, 180_000);

  step('shows the plan with each node\'s changes and applies nothing before the changes are confirmed', async () => {
    await page.getByRole('heading', { name: 'What changes on each firewall' }).or(page.getByRole('alert')).first().waitFor({ timeout: 60_000 });
    expect(await page.getByRole('alert').count(), await shown()).toBe(0);
    expect(await page.getByLabel('VIPs for LAN').inputValue()).toBe('10.0.1.1/24');
    expect(await page.getByLabel('Password for LAN').getAttribute('type')).toBe('password');
    for (const i of [0, 1]) {
      const role = i === 0 ? 'Primary' : 'Secondary';
      expect(await page.getByRole('region', { name: `Changes on ${role} (${target(i)})` }).locator('details').count()).toBeGreaterThan(0);
    }
    expect(await page.getByRole('alert', { name: 'Problems with the plan' }).count()).toBe(0);
    expect(await ui.button('Apply to both firewalls').isDisabled()).toBe(true);
    expect(onNode(0, 'ls -A /opt | wc -l').trim()).toBe('0');
    expect(onNode(1, 'ls -A /opt | wc -l').trim()).toBe('0');
    await page.getByLabel('I have reviewed the changes on both firewalls').check();
    await ui.button('Apply to both firewalls').click();
  }, 90_000);

  step('applies on both nodes step by step in plain words', async () => {
    await ui.summary().filter({ hasText: /Both firewalls are set up|Applying failed/ }).waitFor({ timeout: 170_000 });
    const lines = await ui.stepLines('Apply progress');
    expect(await ui.summary().textContent(), `${JSON.stringify(lines)} ${await shown()}`).toBe('Both firewalls are set up and running as a pair.');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((l) => l.status === 'done' || l.status === 'skipped'), JSON.stringify(lines)).toBe(true);
    expect(Number(onNode(0, 'ls -A /opt | wc -l').trim())).toBeGreaterThan(0);
    await ui.button('Continue to verify').click();
  }, 180_000);

  step('verifies the pair: every vhid MASTER on the primary', async () => {
    await ui.summary().filter({ hasText: /The pair is|Verify did not finish/ }).waitFor({ timeout: 120_000 });
    expect(await ui.summary().textContent(), `${JSON.stringify(await ui.stepLines('Verify progress'))} ${await shown()}`).toBe('The pair is healthy.');
    const masters = await ui.table('Masters');
    expect(masters.length).toBeGreaterThan(0);
    for (const [, master] of masters) expect(master).toBe(`primary (${target(0)})`);
  }, 150_000);

  step('runs the drill from the lab client through the VIP and reports the interruption and the flow per phase', async () => {
    await page.getByLabel('Probe target (a host behind the firewall)').fill(lab!.server.address);
    await page.getByLabel('TCP echo port on the target (optional)').fill(String(ECHO_PORT));
    await page.getByLabel('Probe from network namespace (lab only, optional)').fill(lab!.client.namespace);
    await ui.button('Start drill').click();
    await page.getByRole('table', { name: 'Drill results' }).or(page.getByRole('alert').filter({ hasText: 'The drill failed' })).first().waitFor({ timeout: 170_000 });
    const rows = await ui.table('Drill results');
    console.info(`drill in the lab: ${rows.map((r) => `${r[0]}: ${r[1]} interruption, ${r[2]} probes lost, flow ${r[3]}`).join('; ')}`);
    expect(rows.map((r) => r[0]), `${JSON.stringify(await ui.stepLines('Drill progress'))} ${await shown()}`).toEqual(['Primary enters maintenance', 'Primary leaves maintenance']);
    for (const [phase, interruption, , flow] of rows) {
      expect(interruption, phase).toMatch(/^\d+(\.\d)? m?s$/);
      expect(flow, phase).toBe('survived');
    }
    expect(rows[0][4]).toBe(target(1));
  }, 180_000);

  step('with a link loss allowed (after its warning), the drill also cuts the primary\'s LAN link and the secondary takes over', async () => {
    await page.getByLabel('Also simulate a link loss on the primary').check();
    expect(await page.getByRole('note').textContent()).toContain("The primary's LAN link is taken down for a moment.");
    await ui.button('Start drill').click();
    await ui.button('Drill running…').waitFor();
    await ui.button('Start drill').or(page.getByRole('alert').filter({ hasText: 'The drill failed' })).first().waitFor({ timeout: 170_000 });
    const rows = await ui.table('Drill results');
    console.info(`drill with link loss: ${rows.map((r) => `${r[0]}: ${r[1]} interruption, ${r[2]} probes lost, flow ${r[3]}`).join('; ')}`);
    expect(rows.map((r) => r[0]), `${JSON.stringify(await ui.stepLines('Drill progress'))} ${await shown()}`).toEqual(['Primary enters maintenance', 'Primary leaves maintenance', 'Primary loses its LAN link']);
    expect(rows[2][1]).toMatch(/^\d+(\.\d)? m?s$/);
    expect(rows[2][4]).toBe(target(1));
  }, 180_000);

  step('downloads the commissioning report as HTML (from the backend) and JSON with the drill in it', async () => {
    await ui.button('Continue to the report').click();
    const html = await ui.download('Download HTML report');
    expect(html.suggestedFilename()).toMatch(/-commissioning-\d{4}-\d{2}-\d{2}\.html$/);
    const htmlText = readFileSync((await html.path())!, 'utf8');
    expect(htmlText).toMatch(/^<!doctype html>/i);
    expect(htmlText).toContain(lab!.nodes[0].address);
    const json = await ui.download('Download JSON report');
    const report = JSON.parse(readFileSync((await json.path())!, 'utf8')) as CommissioningReport;
    expect(report.format).toBe('carpdeck-commissioning/1');
    expect(report.verify?.ok).toBe(true);
    expect(report.drill?.phases.map((p) => p.name)).toEqual(['maintenance-enter', 'maintenance-leave', 'link-loss']);
    expect(report.drill?.phases.slice(0, 2).every((p) => p.interruptionMs >= 0 && p.flowSurvived)).toBe(true);
    expect(problems).toEqual([]);
  }, 60_000);
});
