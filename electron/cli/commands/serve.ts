// `carpdeck serve [--port N] [--open]`: the CarpDeck UI for a browser on this machine (electron/headless).
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CredentialError } from '../../core/credentials/store.js';
import { ask } from '../../core/ssh/terminal.js';
import { openBrowser } from '../../headless/browser.js';
import { headlessCredentials } from '../../headless/credentials.js';
import { ServerError } from '../../headless/errors.js';
import { startServer } from '../../headless/server.js';
import { CliError, type Command } from '../command.js';

export const serveUsage = `usage: carpdeck serve [--port N] [--open] [--credentials-file FILE]

Serves the CarpDeck UI and its API on 127.0.0.1 and prints the address to open. The address carries a random
access token (after #token=) that changes on every start; only a page opened with it can use the API.

options:
  --port N   listen on port N (default: any free port)
  --open     open the UI in Chromium (or the desktop's browser); serving stops when that Chromium window closes
  --credentials-file FILE
             keep the SSH passwords you ask the UI to remember in FILE, encrypted with a passphrase (scrypt +
             AES-256-GCM, mode 0600) from $CARPDECK_CREDENTIALS_PASSPHRASE or asked here; without it they are
             kept in memory only and forgotten when serving stops
  --help     show this help`;

export interface ServeArgs {
  port?: number;
  host?: string;
  open: boolean;
  help: boolean;
  credentialsFile?: string;
}

export function parseServeArgs(argv: string[]): ServeArgs {
  const args: ServeArgs = { open: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new CliError(`serve: ${name} needs a value\n\n${serveUsage}`);
      return v;
    };
    if (name === '--open') args.open = true;
    else if (name === '--help' || name === '-h') args.help = true;
    else if (name === '--port') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) > 65535) throw new CliError(`serve: --port ${v} is not a TCP port; use a number from 1 to 65535`);
      args.port = Number(v);
    } else if (name === '--host') args.host = value();
    else if (name === '--credentials-file') args.credentialsFile = value();
    else throw new CliError(`serve: unknown option "${arg}"\n\n${serveUsage}`);
  }
  return args;
}

/** dist/renderer of the CarpDeck checkout or package this code runs from (bundled or not). */
export function rendererDir(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'carpdeck') return path.join(dir, 'dist', 'renderer');
      } catch {
        // not our package.json; keep looking further up
      }
    }
    if (path.dirname(dir) === dir) return path.resolve(from, '..', 'renderer');
  }
}

export const serve: Command = async (argv) => {
  const args = parseServeArgs(argv);
  if (args.help) {
    process.stdout.write(serveUsage + '\n');
    return 0;
  }
  let server;
  try {
    const credentials = await headlessCredentials(args.credentialsFile, { env: process.env, ask: process.stdin.isTTY ? (q) => ask(q, true) : undefined });
    server = await startServer({ port: args.port, host: args.host, staticDir: rendererDir(), credentials });
  } catch (err) {
    if (err instanceof ServerError || err instanceof CredentialError) throw new CliError(`serve: ${err.message}`);
    throw err;
  }
  process.stdout.write(
    `CarpDeck is serving on 127.0.0.1 only. Open this address (it includes this run's access token):\n\n  ${server.url}\n\n${args.credentialsFile ? `Remembered SSH passwords are kept encrypted in ${args.credentialsFile}.` : 'Remembered SSH passwords are kept in memory only (--credentials-file FILE keeps them, encrypted).'}\nPress Ctrl-C to stop.\n`,
  );

  let browser: ReturnType<typeof openBrowser> | undefined;
  const stopped = new Promise<string>((resolve) => {
    // `on`, not `once`: npm start forwards the terminal's Ctrl-C, so the signal can arrive twice.
    process.on('SIGINT', () => resolve('interrupted'));
    process.on('SIGTERM', () => resolve('terminated'));
    if (!args.open) return;
    browser = openBrowser(server.url);
    const { plan, child } = browser;
    if (plan.kind === 'none') {
      process.stdout.write(`Not opening a browser: ${plan.reason}. Open the address above yourself.\n`);
    } else if (child) {
      const who = plan.kind === 'chromium' && plan.runAs ? ` as user ${plan.runAs.name}` : '';
      process.stdout.write(`Opened Chromium${who}.\n`);
      child.on('error', (e) => {
        process.stdout.write(`Could not start Chromium (${e.message}). Open the address above yourself.\n`);
      });
      child.on('exit', (code) => {
        if (code === 0 || code === null) resolve('the Chromium window was closed');
        else process.stdout.write(`Chromium exited with status ${code}. Still serving; open the address above yourself.\n`);
      });
    } else {
      process.stdout.write('Asked the desktop to open the address in its browser.\n');
    }
  });
  const why = await stopped;
  process.stdout.write(`Stopping (${why}).\n`);
  await closeBrowser(browser?.child);
  await server.close();
  return 0;
};

/** Closes the Chromium we started (its profile directory is removed when it exits); gives up after 3 s. */
function closeBrowser(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
