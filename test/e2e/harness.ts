import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRenderer } from '../support/renderer-build.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../electron/headless/server.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const root = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = path.join(root, 'test/artifacts');

/** Flags from the architecture notes §7.3: no GPU, no /dev/shm, and none of Chromium's own network chatter. */
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Harness {
  server: RunningServer;
  browser: Browser;
  workDir: string;
  newPage(): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

/**
 * Builds the renderer (into a private directory, so teammates' dist/ is untouched), serves it with the real
 * headless server on a random loopback port, and launches Debian's Chromium.
 */
export async function startHarness(): Promise<Harness> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'carpdeck-e2e-'));
  const staticDir = path.join(workDir, 'renderer');
  await buildRenderer(staticDir);
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startServer({ port: 0, staticDir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    server,
    browser,
    workDir,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
      const page = await context.newPage();
      // Anything the page logs as an error (CSP violations included) or throws fails the test that checks it.
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      return { page, problems };
    },
    async close() {
      await browser.close();
      await server.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
