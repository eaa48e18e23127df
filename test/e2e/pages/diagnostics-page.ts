import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';

/** The Diagnostics view, as a person uses it: open a capture, read the timeline, findings and packets, export. */
export class DiagnosticsPage {
  constructor(readonly page: Page) {}

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('heading', { name: 'Diagnostics' }).waitFor();
  }

  connectionStatus(): Locator {
    return this.page.locator('.status-pill');
  }

  async openCapture(file: string): Promise<void> {
    await this.page.getByTestId('capture-input').setInputFiles(file);
  }

  async addSecret(vhid: number, password: string, vips = ''): Promise<void> {
    await this.page.getByText('CARP passwords for HMAC checks').click();
    await this.page.getByRole('button', { name: 'Add a password' }).click();
    const row = this.page.locator('.secret-row').last();
    await row.getByLabel(/vhid/).fill(String(vhid));
    await row.getByLabel(/password/).fill(password);
    await row.getByLabel(/virtual IPs/).fill(vips);
  }

  lanes(): Locator {
    return this.page.locator('.lane');
  }

  async waitForTimeline(): Promise<void> {
    await this.lanes().first().waitFor();
  }

  async laneGroups(): Promise<string[]> {
    return this.lanes().evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-group') ?? ''));
  }

  /** For each lane, the colour of each master segment: master address → CSS colour. */
  async segmentColours(group: string): Promise<{ master: string; colour: string }[]> {
    return this.page
      .locator(`.lane[data-group="${group}"] .segment`)
      .evaluateAll((segs) => segs.map((s) => ({ master: s.getAttribute('data-master') ?? '', colour: getComputedStyle(s).backgroundColor })));
  }

  async legend(): Promise<{ master: string; colour: string }[]> {
    return this.page
      .getByLabel('Master colours')
      .locator('li:has(.swatch)')
      .evaluateAll((items) =>
        items.map((li) => ({ master: li.textContent ?? '', colour: getComputedStyle(li.querySelector('.swatch')!).backgroundColor })),
      );
  }

  /** Clicks a lane's name to show only that group's advertisements. */
  async showGroup(label: string): Promise<void> {
    await this.page.locator('.lane-name', { hasText: label }).click();
  }

  changeMarks(group: string): Locator {
    return this.page.locator(`.lane[data-group="${group}"] .change-mark`);
  }

  findings(): Locator {
    return this.page.locator('li.finding');
  }

  finding(kind: string): Locator {
    return this.page.locator(`li.finding[data-kind="${kind}"]`);
  }

  packetRows(): Locator {
    return this.page.locator('.packet-spacer [role="row"]');
  }

  selectedPacket(): Locator {
    return this.page.locator('.packet-spacer [role="row"][aria-selected="true"]');
  }

  rowCount(): Locator {
    return this.page.getByTestId('row-count');
  }

  packetScroller(): Locator {
    return this.page.getByTestId('packet-scroller');
  }

  async scrollPacketsTo(fraction: number): Promise<void> {
    await this.packetScroller().evaluate((el, f) => {
      el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
    }, fraction);
  }

  errorAlert(): Locator {
    return this.page.locator('.error-panel');
  }

  warningBanner(): Locator {
    return this.page.locator('.warn-panel');
  }

  progress(): Locator {
    return this.page.getByLabel('Analysis progress');
  }

  /** Clicks Export and returns the downloaded file's name and text. */
  async exportReport(): Promise<{ name: string; html: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: 'Export HTML report' }).click(),
    ]);
    const path = await download.path();
    return { name: download.suggestedFilename(), html: await readFile(path, 'utf8') };
  }
}
