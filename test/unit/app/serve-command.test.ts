import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../electron/cli/command.js';
import { parseServeArgs, rendererDir } from '../../../electron/cli/commands/serve.js';
import { chromiumArgs, findAccount, planBrowserLaunch, type LaunchEnv } from '../../../electron/headless/browser.js';

describe('carpdeck serve arguments', () => {
  it('reads --port and --open in both spellings', () => {
    expect(parseServeArgs(['--port', '8080', '--open'])).toEqual({ port: 8080, open: true, help: false });
    expect(parseServeArgs(['--port=0'])).toEqual({ port: 0, open: false, help: false });
  });

  it.each([['--port', 'abc'], ['--port', '70000'], ['--port', '-1']])('refuses %s %s with a CLI error naming the option', (flag, value) => {
    expect(() => parseServeArgs([flag, value])).toThrow(CliError);
    expect(() => parseServeArgs([flag, value])).toThrow(/--port/);
  });

  it('refuses a missing value and an unknown option', () => {
    expect(() => parseServeArgs(['--port'])).toThrow(/--port needs a value/);
    expect(() => parseServeArgs(['--listen', '0.0.0.0'])).toThrow(/unknown option "--listen"/);
  });

  it('finds dist/renderer of the carpdeck package above the running code', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'carpdeck-pkg-'));
    try {
      writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'carpdeck' }));
      mkdirSync(path.join(root, 'dist', 'cli'), { recursive: true });
      writeFileSync(path.join(root, 'dist', 'package.json'), JSON.stringify({ name: 'something-else' }));
      expect(rendererDir(path.join(root, 'dist', 'cli'))).toBe(path.join(root, 'dist', 'renderer'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('opening a browser for carpdeck serve', () => {
  const url = 'http://127.0.0.1:5000/#token=00112233445566778899aabbccddeeff';
  const nobody = { name: 'nobody', uid: 65534, gid: 65534 };
  const desktop: LaunchEnv = { isRoot: false, x11Display: ':0', chromium: '/usr/bin/chromium', xdgOpen: '/usr/bin/xdg-open', unprivileged: nobody };

  it('starts Chromium with a fresh profile and without its background network traffic', () => {
    const plan = planBrowserLaunch(url, desktop, '/tmp/p');
    expect(plan).toEqual({ kind: 'chromium', command: '/usr/bin/chromium', args: chromiumArgs(url, '/tmp/p') });
    expect(chromiumArgs(url, '/tmp/p')).toEqual(
      expect.arrayContaining(['--user-data-dir=/tmp/p', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--app=${url}`]),
    );
  });

  it('never passes --no-sandbox, and runs Chromium as an unprivileged account when carpdeck is root', () => {
    const plan = planBrowserLaunch(url, { ...desktop, isRoot: true }, '/tmp/p');
    expect(plan).toMatchObject({ kind: 'chromium', runAs: nobody });
    expect(plan.kind === 'chromium' && plan.args).not.toContain('--no-sandbox');
  });

  it('launches nothing as root when there is no unprivileged account or no Chromium', () => {
    expect(planBrowserLaunch(url, { ...desktop, isRoot: true, unprivileged: undefined }, '/tmp/p')).toMatchObject({ kind: 'none', reason: expect.stringContaining('no unprivileged account') });
    expect(planBrowserLaunch(url, { ...desktop, isRoot: true, chromium: undefined }, '/tmp/p')).toMatchObject({ kind: 'none', reason: expect.stringContaining('never started as root') });
  });

  it('falls back to xdg-open without Chromium, and explains when there is no display', () => {
    expect(planBrowserLaunch(url, { ...desktop, chromium: undefined }, '/tmp/p')).toEqual({ kind: 'xdg-open', command: '/usr/bin/xdg-open', args: [url] });
    expect(planBrowserLaunch(url, { ...desktop, x11Display: undefined }, '/tmp/p')).toMatchObject({ kind: 'none', reason: expect.stringContaining('no graphical display') });
    expect(planBrowserLaunch(url, { ...desktop, chromium: undefined, xdgOpen: undefined }, '/tmp/p')).toMatchObject({ kind: 'none' });
  });

  it('finds the nobody account in /etc/passwd and ignores root', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n';
    expect(findAccount(passwd, 'nobody')).toEqual(nobody);
    expect(findAccount(passwd, 'root')).toBeUndefined();
    expect(findAccount(passwd, 'alice')).toBeUndefined();
  });
});
