import type { Download, Locator, Page } from 'playwright-core';

/** The "Pair nodes" wizard as a person uses it: connect two firewalls, preflight, plan, apply, verify, drill, report. */
export class PairingPage {
  constructor(readonly page: Page) {}

  /** Opens the wizard from the address `carpdeck serve` printed (which carries the token). */
  async goto(url: string): Promise<void> {
    await this.page.goto(`${url}&view=pairing`);
    await this.page.getByRole('heading', { name: 'Pair two firewalls' }).waitFor();
  }

  /** The step the wizard is on ("Connect", "Preflight", ...). */
  async currentStep(): Promise<string> {
    const text = (await this.page.getByRole('list', { name: 'Pairing steps' }).locator('li[aria-current="step"]').textContent()) ?? '';
    return text.replace(/^\d+\s*/, '').trim();
  }

  button(name: string | RegExp): Locator {
    return this.page.getByRole('button', { name, exact: typeof name === 'string' });
  }

  /** Fills "Connect a firewall" and clicks Connect (with a key file on the backend's machine, or without: a password is asked). */
  async connect(target: string, identity?: string): Promise<void> {
    const form = this.page.getByRole('region', { name: 'Connect a firewall' });
    await form.getByLabel('SSH address').fill(target);
    await form.getByLabel('Private key file (optional)').fill(identity ?? '');
    await form.getByRole('button', { name: 'Connect' }).click();
  }

  hostKeyDialog(): Locator {
    return this.page.getByRole('dialog', { name: "Trust this firewall's host key?" });
  }

  async hostKeyFingerprint(): Promise<string> {
    return ((await this.hostKeyDialog().getByLabel('Host key fingerprint').textContent()) ?? '').trim();
  }

  async answerHostKey(accept: boolean): Promise<void> {
    await this.hostKeyDialog()
      .getByRole('button', { name: accept ? 'Accept and connect' : 'Refuse' })
      .click();
  }

  /** Types the password into the login dialog (password or keyboard-interactive) and logs in. */
  async answerPassword(target: string, password: string): Promise<void> {
    const dialog = this.page.getByRole('dialog', { name: `Log in to ${target}` });
    await dialog.locator('input').first().fill(password);
    await dialog.getByRole('button', { name: 'Log in' }).click();
  }

  /** The "Connected to …" note once a connect succeeded. */
  connected(target: string): Locator {
    return this.page.getByRole('status').filter({ hasText: `Connected to ${target}` });
  }

  async pick(primary: string, secondary: string): Promise<void> {
    await this.page.getByLabel('Primary firewall').selectOption(primary);
    await this.page.getByLabel('Secondary firewall').selectOption(secondary);
  }

  /** The summary line of the current step (role=status inside the first panel). */
  summary(): Locator {
    return this.page.locator('.pair-step .step-summary');
  }

  /** Every check shown, as [group heading, status, title]. */
  async checks(): Promise<[string, string, string][]> {
    return this.page.locator('.check-group').evaluateAll((groups) =>
      groups.flatMap((g) =>
        [...g.querySelectorAll('li.pair-check')].map((li) => [g.getAttribute('aria-label') ?? '', li.querySelector('.check-status')?.textContent ?? '', li.querySelector('strong')?.textContent ?? ''] as [string, string, string]),
      ),
    );
  }

  /** The lines of a step list ("Apply progress", "Rollback", "Verify progress", "Drill progress"). */
  async stepLines(list: string): Promise<{ message: string; status: string }[]> {
    return this.page
      .getByRole('list', { name: list })
      .locator('li')
      .evaluateAll((lis) => lis.map((li) => ({ message: li.querySelector('.step-message')?.textContent ?? '', status: li.querySelector('.step-status')?.textContent ?? '' })));
  }

  /** Rows of a table by its label, cell texts. */
  async table(name: string): Promise<string[][]> {
    return this.page
      .getByRole('table', { name })
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent ?? '')));
  }

  async download(button: string): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.button(button).click()]);
    return download;
  }
}
