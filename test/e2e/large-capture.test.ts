import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ARTIFACTS, hasChromium, startHarness, type Harness } from './harness.js';
import { DiagnosticsPage } from './pages/diagnostics-page.js';
import { writeBigCapture } from './fixtures/big-capture.js';

const ROWS = 1_000_000;
const reason = `Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium, or bash build/setup-debian.sh)`;

describe.skipIf(!hasChromium)(`A million advertisements in Chromium${hasChromium ? '' : ` (skipped: ${reason})`}`, () => {
  let h: Harness;
  let capturePath: string;

  beforeAll(async () => {
    h = await startHarness();
    capturePath = path.join(h.workDir, 'million.pcap');
    await writeBigCapture(capturePath, ROWS);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('shows progress while parsing, then a table of a million rows that keeps only a window in the DOM', async () => {
    const { page, problems } = await h.newPage();
    const ui = new DiagnosticsPage(page);
    await ui.goto(h.server.url);
    await ui.openCapture(capturePath);
    await expect.poll(() => ui.progress().evaluate((p) => (p as HTMLProgressElement).value), { interval: 20 }).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'diagnostics-progress.png') });
    await ui.waitForTimeline();

    expect((await ui.laneGroups()).length).toBe(50);
    expect(await ui.rowCount().textContent()).toBe('1,000,000 of 1,000,000 advertisements');
    const window = await ui.packetRows().count();
    expect(window).toBeGreaterThan(10);
    expect(window).toBeLessThan(60);

    await ui.scrollPacketsTo(1);
    await expect.poll(() => ui.packetRows().last().getAttribute('data-frame')).toBe(String(ROWS));
    expect(await ui.packetRows().count()).toBeLessThan(60);

    await ui.scrollPacketsTo(0.5);
    const middle = async () => {
      const first = Number(await ui.packetRows().first().getAttribute('data-frame'));
      const last = Number(await ui.packetRows().last().getAttribute('data-frame'));
      return first > ROWS * 0.49 && last < ROWS * 0.51;
    };
    await expect.poll(middle).toBe(true);

    await page.getByRole('button', { name: 'Source', exact: true }).click();
    await ui.scrollPacketsTo(0);
    await expect.poll(() => ui.packetRows().first().locator('.cell.src').textContent()).toBe('10.1.1.1');
    await page.screenshot({ path: path.join(ARTIFACTS, 'diagnostics-million.png') });
    await page.locator('.panel:has(#timeline-title)').screenshot({ path: path.join(ARTIFACTS, 'diagnostics-million-timeline.png') });
    await page.locator('#packets').screenshot({ path: path.join(ARTIFACTS, 'diagnostics-million-packets.png') });
    expect(problems).toEqual([]);
  });
});
