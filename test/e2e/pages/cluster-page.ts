import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';

/** The Cluster view, as a person uses it: add nodes over SSH, answer prompts, act on nodes, read the timeline. */
export class ClusterPage {
  constructor(readonly page: Page) {}

  /** Opens the view from the address `carpdeck serve` printed (which carries the token). */
  async goto(url: string): Promise<void> {
    await this.page.goto(`${url}&view=cluster`);
    await this.page.getByRole('heading', { name: 'Cluster', exact: true }).waitFor();
  }

  addForm(): Locator {
    return this.page.getByRole('region', { name: 'Add a node' });
  }

  /** Fills the add-node form and clicks Connect (a key file, or a password typed into the form). */
  async addNode(target: string, login: { identity: string } | { password: string }): Promise<void> {
    const form = this.addForm();
    await form.getByLabel('SSH address').fill(target);
    if ('identity' in login) {
      await form.getByLabel('a key file').check();
      await form.getByLabel(/Identity file/).fill(login.identity);
    } else {
      await form.getByLabel('a password').check();
      await form.getByLabel('Password', { exact: true }).fill(login.password);
    }
    await form.getByRole('button', { name: 'Connect' }).click();
  }

  hostKeyDialog(host: string): Locator {
    return this.page.getByRole('dialog', { name: `Unknown host key for ${host}` });
  }

  async hostKeyFingerprint(host: string): Promise<string> {
    return (await this.hostKeyDialog(host).getByTestId('host-key-fingerprint').textContent()) ?? '';
  }

  async answerHostKey(host: string, trust: boolean): Promise<void> {
    await this.hostKeyDialog(host).getByRole('button', { name: trust ? 'Trust this key and connect' : 'Refuse' }).click();
  }

  hostKeyChangedWarning(target: string): Locator {
    return this.page.getByRole('alert', { name: `Host key of ${target} changed` }).first();
  }

  node(id: string): Locator {
    return this.page.getByRole('region', { name: `Node ${id}` });
  }

  connectionState(id: string): Locator {
    return this.node(id).locator('.conn-state');
  }

  /** The state (MASTER / BACKUP / INIT) the node's card shows for a vhid. */
  vhidState(id: string, vhid: number): Locator {
    return this.node(id).locator(`tr[data-vhid="${vhid}"]`);
  }

  /** Clicks an action on a node; destructive ones are confirmed in the dialog that asks. */
  async nodeAction(id: string, label: string, confirm = false): Promise<void> {
    await this.node(id).getByRole('button', { name: label, exact: true }).click();
    if (confirm) await this.page.getByRole('alertdialog').getByRole('button', { name: label, exact: true }).click();
  }

  /** Deploys with the config typed into the text area, or picked as a file (`{ file: path }`). */
  async deploy(id: string, config: string | { file: string }): Promise<void> {
    await this.node(id).getByRole('button', { name: 'Deploy carpd…' }).click();
    const dialog = this.page.getByRole('dialog', { name: `Deploy carpd to ${id}` });
    if (typeof config === 'string') await dialog.getByLabel('carpd config (JSON)').fill(config);
    else {
      await dialog.getByLabel('Config file').setInputFiles(config.file);
      await dialog.getByLabel('carpd config (JSON)').and(this.page.locator(':not(:placeholder-shown)')).waitFor();
    }
    await dialog.getByRole('button', { name: `Deploy to ${id}` }).click();
  }

  /** An action or deploy in the Actions panel by its title ("Maintenance on · root@…", "Deploy carpd · root@…"); the newest first. */
  run(title: string): Locator {
    return this.page.getByRole('region', { name: 'Actions' }).getByRole('listitem', { name: title, exact: true }).first();
  }

  /** Resolves with 'ok' or 'failed' once the run has its result. */
  async runResult(title: string, timeoutMs: number): Promise<string> {
    const run = this.run(title);
    await run.and(this.page.locator('[data-result="ok"], [data-result="failed"]')).waitFor({ timeout: timeoutMs });
    return (await run.getAttribute('data-result')) ?? '';
  }

  async enableNotifications(): Promise<void> {
    await this.page.getByRole('switch', { name: 'Enable notifications' }).check();
  }

  /** Clicks Export JSON or Export CSV and returns the downloaded file's name and text. */
  async exportTimeline(format: 'JSON' | 'CSV'): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('button', { name: `Export ${format}` }).click()]);
    return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
  }

  timelineRows(): Locator {
    return this.page.locator('.timeline-table tbody tr');
  }

  /** Timeline rows as text cells: [time, node, kind, vhid, change, cause]. */
  async timeline(): Promise<{ seq: number; cells: string[]; failover: boolean; time: string }[]> {
    return this.timelineRows().evaluateAll((rows) =>
      rows.map((r) => ({
        seq: Number(r.getAttribute('data-seq')),
        cells: [...r.querySelectorAll('td')].map((td) => td.textContent ?? ''),
        failover: r.classList.contains('failover'),
        time: r.querySelector('time')?.getAttribute('datetime') ?? '',
      })),
    );
  }
}
