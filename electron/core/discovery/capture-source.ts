// Live frames from one interface: the capture helper (a separate process, the only one needing capture rights)
// streams pcap on its stdout, read here with the same streaming reader as capture files. When the helper cannot
// load libpcap's binding or may not capture, tcpdump takes its place (`tcpdump -U -w -`, the same pcap stream;
// tcpdump may have been granted capture rights, or the user be in a group allowed to capture). Not running as
// root, it prefers the standalone helper `carpdeck capture-rights grant` installed with capture capabilities, and a
// capture refused for lack of rights ends with what is missing for this user and the command that grants them.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { readFrames } from '../../../shared/capture/reader.js';
import { CaptureError, type Frame } from '../../../shared/capture/types.js';
import { FILTERS, HELPER_EXIT, parseHelperLine, type FilterName, type HelperMessage } from '../../capture-helper/messages.js';
import { cliCommand } from '../capture-rights/command.js';
import { explainCapturePermission } from '../capture-rights/explain.js';
import { capturePrefix, layout } from '../capture-rights/paths.js';
import { captureRightsStatus } from '../capture-rights/status.js';
import { tcpdumpMessage } from './tcpdump.js';

export interface CaptureStatus extends HelperMessage {
  via: 'helper' | 'tcpdump';
}

export interface CaptureSourceOptions {
  iface: string;
  filter?: FilterName;
  /** The bundled helper (dist/capture-helper/helper.cjs); default: next to the running bundle. */
  helperPath?: string;
  /** Node binary that runs the helper (default: this process's). */
  nodePath?: string;
  /** tcpdump for the fallback; null disables it. */
  tcpdumpPath?: string | null;
  onStatus?: (s: CaptureStatus) => void;
}

/**
 * Where the helper is: in a packaged app next to its own copy of `cap` under the resources directory; otherwise
 * next to the running bundle (dist/cli, dist/electron -> dist/capture-helper).
 */
export function defaultHelperPath(): string {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const packaged = resources ? path.join(resources, 'capture-helper', 'helper.cjs') : null;
  if (packaged && existsSync(packaged)) return packaged;
  return path.join(__dirname, '..', 'capture-helper', 'helper.cjs');
}

/** Inside Electron, process.execPath is the Electron binary: it runs the helper as plain Node only when told to. */
function helperEnv(): NodeJS.ProcessEnv {
  return process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env;
}

/** The granted standalone helper, when this process is not root and may run it (it is in the helper's group). */
export function grantedHelperPath(prefix = capturePrefix()): string | null {
  if (process.platform !== 'linux' || process.geteuid?.() === 0) return null;
  const file = layout(prefix).helper;
  try {
    accessSync(file, constants.X_OK);
    return file;
  } catch {
    return null;
  }
}

/** How to start the helper: the caller's script, else the granted executable, else the bundled script under Node. */
function helperCommand(opts: CaptureSourceOptions): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  const args = ['--interface', opts.iface, '--filter', opts.filter ?? 'ha'];
  const granted = opts.helperPath ? null : grantedHelperPath();
  if (granted) return { file: granted, args, env: {} };
  return { file: opts.nodePath ?? process.execPath, args: [opts.helperPath ?? defaultHelperPath(), ...args], env: helperEnv() };
}

export class CaptureSource implements AsyncIterable<Frame> {
  /** The error that ended the capture (permission, no such interface, ...), if one did. */
  failure: CaptureStatus | null = null;
  via: 'helper' | 'tcpdump' = 'helper';
  private child: ChildProcess | null = null;
  private stopped = false;

  constructor(private readonly opts: CaptureSourceOptions) {}

  /** Ends the capture: the helper exits when its stdin closes; tcpdump gets SIGTERM. */
  stop(): void {
    this.stopped = true;
    const c = this.child;
    if (!c) return;
    if (this.via === 'helper') c.stdin?.end();
    else c.kill('SIGTERM');
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Frame, void, undefined> {
    try {
      const helper = this.start('helper');
      yield* this.read(helper.child);
      const code = await helper.exit;
      const helperFailure = this.failure;
      const fallBack = code === HELPER_EXIT.capUnavailable || helperFailure?.code === 'permission-denied';
      if (this.stopped || !fallBack || this.opts.tcpdumpPath === null) return;
      this.failure = null;
      const tcpdump = this.start('tcpdump');
      yield* this.read(tcpdump.child);
      await tcpdump.exit;
      // no tcpdump at all: the helper's own error says more
      const tcpdumpFailure = this.failure as CaptureStatus | null;
      if (tcpdumpFailure?.code === 'tcpdump-missing' && helperFailure) this.failure = helperFailure;
      else if (tcpdumpFailure?.code === 'permission-denied' && helperFailure?.code === 'permission-denied') {
        this.failure = { ...helperFailure, message: `${helperFailure.message}; tcpdump may not capture either` };
      }
    } finally {
      this.explainPermission();
      this.stop();
    }
  }

  /** With CarpDeck's own helpers on Linux, a permission failure says what this user lacks and how to grant it. */
  private explainPermission(): void {
    const f = this.failure;
    if (f?.code !== 'permission-denied' || this.opts.helperPath || process.platform !== 'linux') return;
    try {
      const cli = cliCommand();
      this.failure = { ...f, ...explainCapturePermission(this.opts.iface, captureRightsStatus({ prefix: capturePrefix(), cli }), cli) };
    } catch {
      // no account entry for this uid: the helper's own words stand
    }
  }

  private start(via: 'helper' | 'tcpdump'): { child: ChildProcess; exit: Promise<number | null> } {
    this.via = via;
    const filter = FILTERS[this.opts.filter ?? 'ha'];
    const helper = helperCommand(this.opts);
    const child =
      via === 'helper'
        ? spawn(helper.file, helper.args, { stdio: ['pipe', 'pipe', 'pipe'], env: helper.env })
        : spawn(this.opts.tcpdumpPath ?? 'tcpdump', ['-i', this.opts.iface, '-U', '-n', '--immediate-mode', '-w', '-', filter], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    if (this.stopped) this.stop();
    const exit = new Promise<number | null>((resolve) => {
      child.on('error', (err) => {
        this.report({ level: 'error', code: via === 'helper' ? 'capture-failed' : 'tcpdump-missing', interface: this.opts.iface, message: `cannot start the ${via === 'helper' ? 'capture helper' : 'tcpdump fallback'}: ${err.message}`, via });
        resolve(null);
      });
      child.on('close', (code) => resolve(code));
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      const m = via === 'helper' ? parseHelperLine(line) : tcpdumpMessage(this.opts.iface, line);
      if (m) this.report({ ...m, via });
    });
    child.stdin?.on('error', () => undefined);
    return { child, exit };
  }

  private report(s: CaptureStatus): void {
    if (s.level === 'error' && (s.code !== 'cap-unavailable' || this.opts.tcpdumpPath === null || s.via === 'tcpdump')) this.failure ??= s;
    this.opts.onStatus?.(s);
  }

  private async *read(child: ChildProcess): AsyncGenerator<Frame, void, undefined> {
    try {
      yield* readFrames(child.stdout!);
    } catch (err) {
      // A process stopped mid-record leaves a partial one at the end; anything else is a broken stream.
      if (err instanceof CaptureError && err.code === 'truncated') return;
      if (err instanceof CaptureError && err.code === 'not-a-capture' && child.stdout!.readableEnded) return;
      throw err;
    }
  }
}
