// A connected SSH session: fixed-argv commands (quoted, never built from a shell string), line streams, SFTP upload.
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { SshError } from './errors.js';
import { quoteArgv } from './quote.js';
import { targetLabel, type SshTarget } from './target.js';

export interface ExecResult {
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

export interface LineStream {
  /** Ends the remote command (closes the channel; with a pty the remote side gets SIGHUP). */
  stop(): void;
  readonly done: Promise<{ code: number | null }>;
}

export type UploadProgress = (sent: number, total: number) => void;

/**
 * The remote exit status. The channel stream may close (both ends done) just before the server's exit-status
 * request is processed, so after 'close' the exit is awaited a little longer.
 */
function exitOf(channel: ClientChannel, input?: string | Buffer): Promise<{ code: number | null; signal?: string }> {
  return new Promise((resolve) => {
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    channel.once('exit', (code: number | null, signal?: string) => {
      const done = () => {
        clearTimeout(timer);
        resolve({ code, signal: signal ?? undefined });
      };
      if (closed) done();
      else channel.once('close', done);
    });
    channel.once('close', () => {
      closed = true;
      timer = setTimeout(() => resolve({ code: null, signal: 'no exit status' }), 2000);
    });
    if (input !== undefined) channel.end(input);
  });
}

export class SshSession {
  private sftpChannel: Promise<SFTPWrapper> | undefined;
  readonly closed: Promise<void>;

  constructor(
    private readonly client: Client,
    readonly target: SshTarget,
  ) {
    this.closed = new Promise((resolve) => client.once('close', () => resolve()));
  }

  get label(): string {
    return targetLabel(this.target);
  }

  /**
   * Opens a command channel and wires it up inside ssh2's callback: a fast command's data, exit status and close
   * can arrive in the same read as the channel confirmation, before any awaiting code would run.
   */
  private open<T>(argv: readonly string[], pty: boolean, wire: (channel: ClientChannel) => T): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client.exec(quoteArgv(argv), pty ? { pty: { term: 'dumb', cols: 500, rows: 24 } } : {}, (err, channel) => {
        if (err) reject(new SshError('closed', `${this.label}: cannot run ${argv[0]}: ${err.message}`, this.label));
        else resolve(wire(channel));
      });
    });
  }

  async exec(argv: readonly string[], input?: string | Buffer): Promise<ExecResult> {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const exit = await this.open(argv, false, (channel) => {
      channel.on('data', (d: Buffer) => out.push(d));
      channel.stderr.on('data', (d: Buffer) => err.push(d));
      return { done: exitOf(channel, input ?? '') };
    });
    const { code, signal } = await exit.done;
    return { code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  }

  /** Runs argv and calls onLine for each complete output line (chunks may split lines). */
  async lines(argv: readonly string[], onLine: (line: string) => void, opts: { pty?: boolean; onStderr?: (text: string) => void } = {}): Promise<LineStream> {
    return this.open(argv, opts.pty ?? false, (channel) => {
      let carry = '';
      channel.setEncoding('utf8');
      channel.on('data', (chunk: string) => {
        const parts = (carry + chunk).split('\n');
        carry = parts.pop() ?? '';
        for (const p of parts) onLine(p.replace(/\r$/, ''));
      });
      channel.stderr.setEncoding('utf8').on('data', (t: string) => opts.onStderr?.(t));
      const done = exitOf(channel).then(({ code }) => {
        if (carry) onLine(carry.replace(/\r$/, ''));
        return { code };
      });
      return { stop: () => channel.close(), done };
    });
  }

  private sftp(): Promise<SFTPWrapper> {
    this.sftpChannel ??= new Promise((resolve, reject) =>
      this.client.sftp((err, sftp) => (err ? reject(new SshError('sftp-failed', `${this.label}: SFTP is not available (${err.message}); the server needs "Subsystem sftp"`, this.label)) : resolve(sftp))),
    );
    return this.sftpChannel;
  }

  /** Uploads a local file to `remotePath` with progress (throttled to about 10 calls a second, plus the last). */
  async upload(localPath: string, remotePath: string, progress?: UploadProgress): Promise<void> {
    const sftp = await this.sftp();
    let last = 0;
    await new Promise<void>((resolve, reject) =>
      sftp.fastPut(
        localPath,
        remotePath,
        {
          mode: 0o600,
          step: (sent, _chunk, total) => {
            const now = Date.now();
            if (progress && (now - last >= 100 || sent === total)) {
              last = now;
              progress(sent, total);
            }
          },
        },
        (err) => (err ? reject(new SshError('sftp-failed', `${this.label}: upload of ${localPath} to ${remotePath} failed: ${err.message}`, this.label)) : resolve()),
      ),
    );
  }

  /** Writes small content (a config) to `remotePath` over SFTP. */
  async writeFile(remotePath: string, content: string | Buffer, mode = 0o600): Promise<void> {
    const sftp = await this.sftp();
    await new Promise<void>((resolve, reject) =>
      sftp.writeFile(remotePath, content, { mode }, (err) => (err ? reject(new SshError('sftp-failed', `${this.label}: cannot write ${remotePath}: ${err.message}`, this.label)) : resolve())),
    );
  }

  close(): void {
    this.client.end();
  }
}
