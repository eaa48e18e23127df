import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { requestSchema, type ControlResponse, type ParsedRequest } from './protocol.js';
import { formatPath } from '../config/load.js';

export interface ControlHandler {
  handle(req: ParsedRequest): Promise<ControlResponse>;
  /** For `events --follow`: calls `send` for every new event until the returned function is called. */
  follow(send: (r: ControlResponse) => void): () => void;
}

export class ControlSocketError extends Error {
  constructor(
    readonly code: 'socket-in-use' | 'socket-failed',
    message: string,
  ) {
    super(message);
  }
}

/** True when a live process accepts connections on `path`. */
function socketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection(path);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

export interface ControlServer {
  /** Stops listening, ends open connections (e.g. events --follow) and removes the socket file. */
  close(): Promise<void>;
}

/** Listens on a Unix socket (mode 0600); a stale socket file is removed, one in use by a live daemon is refused. */
export async function startControlServer(path: string, handler: ControlHandler): Promise<ControlServer> {
  if (existsSync(path)) {
    if (await socketAlive(path)) {
      throw new ControlSocketError('socket-in-use', `control socket ${path} is in use by a running carpd; stop it first or set another "controlSocket"`);
    }
    unlinkSync(path);
  }
  const open = new Set<Socket>();
  const server = createServer((sock) => {
    open.add(sock);
    sock.on('close', () => open.delete(sock));
    serveConnection(sock, handler);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new ControlSocketError('socket-failed', `cannot listen on control socket ${path}: ${e.code ?? e.message}`)));
    const old = process.umask(0o177);
    server.listen(path, () => {
      process.umask(old);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => {
          if (existsSync(path)) unlinkSync(path);
          resolve();
        });
      }),
  };
}

function serveConnection(sock: Socket, handler: ControlHandler): void {
  let buf = '';
  let stop: (() => void) | undefined;
  const write = (r: ControlResponse) => {
    if (!sock.destroyed) sock.write(`${JSON.stringify(r)}\n`);
  };
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => {
    buf += chunk;
    if (buf.length > 65_536) {
      write({ ok: false, error: { code: 'request-too-long', message: 'request line longer than 64 KiB' } });
      sock.end();
      return;
    }
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) void answer(line);
    }
  });
  sock.on('close', () => stop?.());
  sock.on('error', () => stop?.());

  async function answer(line: string): Promise<void> {
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      return write({ ok: false, error: { code: 'bad-request', message: 'request is not valid JSON' } });
    }
    const parsed = requestSchema.safeParse(data);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return write({ ok: false, error: { code: 'bad-request', message: `${formatPath(i.path) || 'request'}: ${i.message}` } });
    }
    const req = parsed.data;
    try {
      if (req.cmd === 'events' && req.follow) {
        const backlog = await handler.handle(req);
        const seen = 'events' in backlog && backlog.events.length ? backlog.events[backlog.events.length - 1].seq : req.since;
        write(backlog);
        stop = handler.follow((r) => {
          if ('event' in r && r.event.seq <= seen) return;
          write(r);
        });
        return;
      }
      write(await handler.handle(req));
    } catch (e) {
      write({ ok: false, error: { code: 'internal', message: (e as Error).message } });
    }
  }
}
