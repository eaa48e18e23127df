// Record and export from the app: `carpdeck serve` and Chromium in a laptop namespace on a segment with a ucarp
// pair; the Discovery view records the live capture, saves it as pcapng that TShark reads (the same packets the
// view counted), and opens it in the Diagnostics view, which analyses it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, startUcarp, waitFor, type LabNode, type Ucarp } from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';
import { buildApp, chromiumIn } from './app.js';

const skip = requireRoot(['ucarp', 'tshark']) || !existsSync('/usr/bin/chromium');
const ADDR = { u1: '10.0.8.2', u2: '10.0.8.3', laptop: '10.0.8.100' } as const;
const VHID = 12;

describe.skipIf(skip)('recording the live capture in the Discovery view', () => {
  const nodes: Record<string, LabNode> = {};
  let ucarp: Ucarp;

  const lab = useLab('rec', async (l) => {
    const lan = await l.bridge('lan');
    for (const [name, addr] of Object.entries(ADDR)) {
      nodes[name] = await l.node(name);
      await l.link(nodes[name], lan, { ifname: 'lan', addrs: [`${addr}/24`] });
    }
    ucarp = startUcarp(l, nodes.u1, { ifname: 'lan', srcip: ADDR.u1, vhid: VHID, password: 'pw12', vip: '10.0.8.1/24', advskew: 0 });
    startUcarp(l, nodes.u2, { ifname: 'lan', srcip: ADDR.u2, vhid: VHID, password: 'pw12', vip: '10.0.8.1/24', advskew: 100 });
    await waitFor('ucarp on u1 to be master', () => /MASTER/.test(ucarp.proc.output()), 20_000);
  });

  it('records, saves a pcapng that TShark reads with every recorded packet, and opens it in Diagnostics, which analyses it', async () => {
    const app = join(lab().dir, 'app');
    await buildApp(app);
    const serve = lab().spawn(nodes.laptop, [process.execPath, join(app, 'cli', 'carpdeck.cjs'), 'serve'], { env: { NODE_PATH: join(repoRoot, 'node_modules') } });
    const url = (await serve.waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+/, 20_000)).trim();
    const browser = await chromiumIn(lab(), nodes.laptop);
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${url}&view=discovery`);
      await page.getByRole('button', { name: 'Listen on lan' }).click();
      await page.locator(`tr[data-group="carp:${VHID}"]`).getByText(ADDR.u1).waitFor({ timeout: 10_000 });

      await page.getByRole('button', { name: 'Record', exact: true }).click();
      const status = page.locator('.recording-status');
      // ucarp advertises once a second; the capture also holds ARP and IPv6 neighbour discovery
      await page.waitForTimeout(3500);
      await page.waitForFunction(() => /Recording ([3-9]|\d\d+) packets/.test(document.querySelector('.recording-status')?.textContent ?? ''), undefined, { timeout: 15_000 });
      await page.getByRole('button', { name: 'Stop recording' }).click();
      await page.getByRole('button', { name: 'Save as pcapng' }).waitFor({ timeout: 5_000 });
      const recorded = Number(/Recorded ([\d,]+) packets/.exec((await status.textContent()) ?? '')?.[1].replaceAll(',', ''));
      expect(recorded).toBeGreaterThanOrEqual(3);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save as pcapng' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^carpdeck-lan-\d{8}-\d{6}\.pcapng$/);
      const file = join(lab().dir, download.suggestedFilename());
      await download.saveAs(file);
      const tshark = await lab().exec(nodes.laptop, ['tshark', '-r', file, '-T', 'fields', '-e', 'frame.interface_name', '-e', 'ip.src', '-e', 'ip.proto']);
      expect(tshark.code, tshark.stderr).toBe(0);
      const rows = tshark.stdout.trim().split('\n').map((l) => l.split('\t'));
      expect(rows.length).toBe(recorded);
      expect(rows.filter((r) => r[1] === ADDR.u1 && r[2] === '112').length).toBeGreaterThanOrEqual(2);
      expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['lan']));
      // a pcapng section header block, not a pcap file header
      expect([...readFileSync(file).subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);

      await page.getByRole('button', { name: 'Open in Diagnostics' }).click();
      await page.waitForURL(/view=diagnostics/, { timeout: 5_000 });
      const diagnostics = page.locator('#diagnostics');
      await diagnostics.locator(`.lane[data-group="carp:${VHID}"]`).waitFor({ timeout: 15_000 });
      expect(await diagnostics.locator('.page-sub').textContent()).toBe(download.suggestedFilename());
      expect(await diagnostics.textContent()).toContain(ADDR.u1);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await serve.stop('SIGINT');
    }
  });
});
