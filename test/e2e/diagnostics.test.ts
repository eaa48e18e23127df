import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS, hasChromium, startHarness, type Harness } from './harness.js';
import { DiagnosticsPage } from './pages/diagnostics-page.js';
import { failoverCapture, PASSWORD, VIP } from './fixtures/failover-capture.js';

const PUBLIC_CAPTURES = path.resolve(__dirname, '../../../shared/captures/tcpdump-tests');
const reason = `Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium, or bash build/setup-debian.sh)`;

describe.skipIf(!hasChromium)(`Diagnostics view in Chromium through carpdeck serve${hasChromium ? '' : ` (skipped: ${reason})`}`, () => {
  let h: Harness;
  let capturePath: string;
  let capture: ReturnType<typeof failoverCapture>;

  beforeAll(async () => {
    h = await startHarness();
    capture = failoverCapture();
    capturePath = path.join(h.workDir, 'site-failover.pcap');
    await writeFile(capturePath, capture.bytes);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('opens a capture, shows one lane per group, the split brain, the packets, and exports the report', async () => {
    const { page, problems } = await h.newPage();
    const ui = new DiagnosticsPage(page);
    await ui.goto(h.server.url);
    await page.screenshot({ path: path.join(ARTIFACTS, 'diagnostics-start.png') });

    await ui.openCapture(capturePath);
    await ui.waitForTimeline();
    expect(await ui.laneGroups()).toEqual(['carp:1', 'carp:2']);

    const legend = new Map((await ui.legend()).map((m) => [m.master, m.colour]));
    expect([...legend.keys()]).toEqual(['10.0.1.1', '10.0.2.1', '10.0.1.2']);
    const lane1 = await ui.segmentColours('carp:1');
    expect(lane1.map((s) => s.master)).toEqual(['10.0.1.1', '10.0.1.2']);
    for (const s of lane1) expect(s.colour).toBe(legend.get(s.master));
    expect(lane1[0].colour).not.toBe(lane1[1].colour);
    await expect.poll(() => ui.changeMarks('carp:1').getAttribute('title')).toContain('takeover after silence');

    expect(await ui.lanes().nth(1).locator('.also-heard').textContent()).toBe('also heard: 10.0.2.2');

    const split = ui.finding('split-brain');
    expect(await split.locator('.severity').textContent()).toBe('Error');
    expect(await split.textContent()).toContain('10.0.2.1');
    expect(await split.textContent()).toContain('10.0.2.2');

    expect(await page.locator('.sync-table tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^pfsync v610\.0\.1\.2 → 224\.0\.0\.2403.*3 \/ 9 \/ 0/),
    ]);
    expect(await ui.rowCount().textContent()).toBe(`${capture.adverts} of ${capture.adverts} advertisements`);
    const rows = await ui.packetRows().count();
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(capture.adverts);
    await page.screenshot({ path: path.join(ARTIFACTS, 'diagnostics-report.png'), fullPage: true });

    const frameButtons = split.getByRole('button', { name: /^Show frame \d+ in the packet table$/ });
    const secondFrame = (await frameButtons.nth(1).textContent())!;
    await frameButtons.nth(1).click();
    await expect.poll(() => ui.selectedPacket().getAttribute('data-frame')).toBe(secondFrame);
    expect(await ui.selectedPacket().locator('.cell.group').textContent()).toBe('carp:2');
    await page.locator('#packets').screenshot({ path: path.join(ARTIFACTS, 'diagnostics-packets.png') });

    const report = await ui.exportReport();
    expect(report.name).toBe('site-failover-carpdeck-report.html');
    expect(report.html).toContain('data-group="carp:1"');
    expect(report.html).toContain('data-group="carp:2"');
    expect(report.html).toContain('data-kind="split-brain"');
    expect(report.html).toContain('takeover after silence');
    expect(report.html).toContain('<h2>State synchronisation</h2>');
    expect(report.html).not.toContain('<script');
    await writeFile(path.join(ARTIFACTS, 'exported-report.html'), report.html);
    const exported = await h.browser.newPage();
    await exported.setContent(report.html);
    await exported.screenshot({ path: path.join(ARTIFACTS, 'exported-report.png'), fullPage: true });
    await exported.close();

    expect(problems).toEqual([]);
  });

  it('verifies CARP HMACs with the password given in the secrets form', async () => {
    const { page, problems } = await h.newPage();
    const ui = new DiagnosticsPage(page);
    await ui.goto(h.server.url);
    await ui.addSecret(1, PASSWORD, VIP);
    await ui.openCapture(capturePath);
    await ui.waitForTimeline();
    await expect.poll(() => page.locator('tr[data-group="carp:1"] td').last().textContent()).toBe(`${VIP} (given)`);
    expect(await ui.finding('hmac-failure').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it.skipIf(!existsSync(PUBLIC_CAPTURES))("reads the tcpdump project's VRRP capture: a lane per VRID and family, VRRP addresses in the table", async () => {
    const { page, problems } = await h.newPage();
    const ui = new DiagnosticsPage(page);
    await ui.goto(h.server.url);
    await ui.openCapture(path.join(PUBLIC_CAPTURES, 'vrrp.pcap'));
    await ui.waitForTimeline();
    expect(await ui.laneGroups()).toEqual(['vrrp:42', 'vrrp:43', 'vrrp:44', 'vrrp:45/ipv6', 'vrrp:46/ipv6']);
    expect(await ui.lanes().nth(3).locator('.lane-name').textContent()).toBe('VRRP vrid 45 IPv6');
    expect(await ui.rowCount().textContent()).toBe('165 of 165 advertisements');
    await ui.showGroup('VRRP vrid 45 IPv6');
    expect(await ui.rowCount().textContent()).toBe('32 of 165 advertisements');
    expect(await ui.packetRows().first().locator('.cell.src').textContent()).toMatch(/^fe80::/);
    await page.getByLabel('Filter by group').selectOption('vrrp:44');
    expect(await ui.packetRows().first().locator('.cell.kind').textContent()).toBe('VRRPv3');
    expect(await ui.packetRows().first().locator('.cell.addresses').textContent()).toMatch(/^\d+\.\d+\.\d+\.\d+, \d+\.\d+\.\d+\.\d+$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'diagnostics-vrrp.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it.skipIf(!existsSync(PUBLIC_CAPTURES))('reports an unsupported link type as a finding instead of failing', async () => {
    const { page, problems } = await h.newPage();
    const ui = new DiagnosticsPage(page);
    await ui.goto(h.server.url);
    await ui.openCapture(path.join(PUBLIC_CAPTURES, 'vrrp-vrrp_print-oobr.pcap'));
    await ui.finding('unsupported-link-type').waitFor();
    expect(await page.locator('.timeline, .empty-note').first().textContent()).toContain('No CARP or VRRP advertisements');
    expect(await ui.rowCount().textContent()).toBe('0 of 0 advertisements');
    expect(problems).toEqual([]);
  });

  it('shows the backend connection in the header', async () => {
    const { page } = await h.newPage();
    const ui = new DiagnosticsPage(page);
    await ui.goto(h.server.url);
    await expect.poll(() => ui.connectionStatus().getAttribute('data-status')).toBe('open');
    expect(await ui.connectionStatus().textContent()).toMatch(/^Connected/);
    await page.locator('.app-header').screenshot({ path: path.join(ARTIFACTS, 'header.png') });
  });

  it('works without a backend connection: opened without its token, the header says offline and analysis still runs', async () => {
    const { page } = await h.newPage();
    const ui = new DiagnosticsPage(page);
    await ui.goto(`${h.server.origin}/`);
    await expect.poll(() => ui.connectionStatus().getAttribute('data-status')).toBe('failed');
    expect(await ui.connectionStatus().textContent()).toBe('Offline');
    expect(await ui.connectionStatus().getAttribute('title')).toContain('without its access token');
    await ui.openCapture(capturePath);
    await ui.waitForTimeline();
    expect(await ui.laneGroups()).toEqual(['carp:1', 'carp:2']);
  });

  it('explains a file that is not a capture instead of failing', async () => {
    const { page, problems } = await h.newPage();
    const ui = new DiagnosticsPage(page);
    await ui.goto(h.server.url);
    const notes = path.join(h.workDir, 'notes.pcap');
    await writeFile(notes, 'These are meeting notes, not packets.\n'.repeat(20));
    await ui.openCapture(notes);
    await ui.errorAlert().waitFor();
    expect(await ui.errorAlert().locator('h2').textContent()).toBe('This is not a capture file');
    expect(await ui.errorAlert().textContent()).toContain('not-a-capture');
    await page.screenshot({ path: path.join(ARTIFACTS, 'diagnostics-not-a-capture.png') });
    expect(problems).toEqual([]);
  });

  it('reports on a truncated capture and says where it ends', async () => {
    const { page } = await h.newPage();
    const ui = new DiagnosticsPage(page);
    await ui.goto(h.server.url);
    const cut = path.join(h.workDir, 'cut.pcap');
    await writeFile(cut, capture.bytes.subarray(0, capture.bytes.length - 40));
    await ui.openCapture(cut);
    await ui.waitForTimeline();
    expect(await ui.warningBanner().locator('h2').textContent()).toBe('The capture file is cut short');
    await page.screenshot({ path: path.join(ARTIFACTS, 'diagnostics-truncated.png') });
  });
});
