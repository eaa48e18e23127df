// `carpdeck serve`: the same React build and API as the Electron app, for a browser on this machine.
// HTTP on 127.0.0.1 only; the RPC WebSocket at /rpc requires our exact Origin and this run's random token.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { RPCHandler } from '@orpc/server/ws';
import { WebSocketServer } from 'ws';
import { RPC_SUBPROTOCOL, TOKEN_PATTERN } from '../../shared/api/transport.js';
import { EventHub } from '../core/api/events.js';
import { createRouter } from '../core/api/router.js';
import { ClusterService } from '../core/cluster/service.js';
import type { CredentialStore } from '../core/credentials/store.js';
import { nodePlatform } from '../core/platform.js';
import { defaultKnownHosts } from '../core/ssh/options.js';
import { contentSecurityPolicy, staticSecurityHeaders } from '../core/web/csp.js';
import { contentType, resolveStaticPath } from '../core/web/static-path.js';
import { ServerError } from './errors.js';
import { checkUpgrade } from './upgrade.js';

export const LOOPBACK = '127.0.0.1';

export interface ServerOptions {
  /** TCP port on 127.0.0.1; 0 (the default) lets the system pick a free one. */
  port?: number;
  /** The renderer build (dist/renderer). */
  staticDir: string;
  /** 32 lowercase hex digits; a fresh random one by default. */
  token?: string;
  /** Only 127.0.0.1 is accepted; anything else is refused with NOT_LOOPBACK. */
  host?: string;
  /** Heartbeat interval of the event stream. */
  heartbeatMs?: number;
  /** Saved SSH secrets; in memory (forgotten on exit) by default. */
  credentials?: CredentialStore;
  /** Pinned SSH host keys (default ~/.config/carpdeck/known-hosts.json or $CARPDECK_KNOWN_HOSTS). */
  knownHostsFile?: string;
  /** The control panel's backend (tests inject one); default: one over `credentials` and `knownHostsFile`. */
  cluster?: ClusterService;
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT/#token=TOKEN`: what the person opens. */
  url: string;
  token: string;
  port: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  events: EventHub;
  cluster: ClusterService;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

function validate(options: ServerOptions): { port: number; token: string; staticDir: string } {
  const host = options.host ?? LOOPBACK;
  if (host !== LOOPBACK) {
    throw new ServerError(
      'NOT_LOOPBACK',
      `refusing to listen on ${host}: carpdeck serve only listens on ${LOOPBACK}, because the UI can deploy to and control firewalls. To use it from another machine, forward the port over SSH (ssh -L PORT:127.0.0.1:PORT this-host).`,
      'host',
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ServerError('BAD_PORT', `port ${port} is not a TCP port; use a whole number from 1 to 65535, or 0 for any free port`, 'port');
  }
  const token = options.token ?? randomBytes(16).toString('hex');
  if (!TOKEN_PATTERN.test(token)) throw new ServerError('BAD_TOKEN', 'the token must be 32 lowercase hex digits (128 bits)', 'token');
  const staticDir = path.resolve(options.staticDir);
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new ServerError('NO_RENDERER', `the UI is not built: ${path.join(staticDir, 'index.html')} does not exist. Run "npm run build" first.`, staticDir);
  }
  return { port, token, staticDir };
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request' }[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${reason}\n`);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { port: wantedPort, token, staticDir } = validate(options);
  const events = new EventHub({ heartbeatMs: options.heartbeatMs });
  const platform = nodePlatform('browser', options.credentials);
  const cluster = options.cluster ?? new ClusterService({ credentials: platform.secrets!, knownHostsFile: options.knownHostsFile ?? defaultKnownHosts() });
  const handler = new RPCHandler(createRouter({ platform, events, cluster }));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: () => RPC_SUBPROTOCOL });
  let policy = { origin: '', host: '', token, csp: '' };

  const serveStatic = (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': policy.csp, ...staticSecurityHeaders });
      res.end(body + '\n');
    };
    if (req.headers.host !== policy.host) return send(421, `open ${policy.origin}/ instead`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'only GET and HEAD');
    const resolved = resolveStaticPath(staticDir, (req.url ?? '/').split(/[?#]/)[0]);
    if (!resolved.ok) return send(resolved.status, resolved.reason);
    let size: number;
    try {
      const stat = statSync(resolved.file);
      if (!stat.isFile()) return send(404, 'not found');
      size = stat.size;
    } catch {
      return send(404, 'not found');
    }
    res.writeHead(200, {
      'Content-Type': contentType(resolved.file),
      'Content-Length': size,
      'Content-Security-Policy': policy.csp,
      'Cache-Control': 'no-cache',
      ...staticSecurityHeaders,
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(resolved.file).on('error', () => res.destroy()).pipe(res);
  };

  const server = createServer(serveStatic);
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const decision = checkUpgrade(req.url, req.headers, policy);
    if (!decision.ok) return rejectUpgrade(socket, decision.status, decision.reason);
    wss.handleUpgrade(req, socket, head, (ws) => {
      void handler.upgrade(ws);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new ServerError('PORT_IN_USE', `port ${wantedPort} on ${LOOPBACK} is already in use; pick another with --port, or omit it to use any free port`, 'port'));
      } else reject(err);
    });
    server.listen(wantedPort, LOOPBACK, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : wantedPort;
  const origin = `http://${LOOPBACK}:${port}`;
  policy = { origin, host: `${LOOPBACK}:${port}`, token, csp: contentSecurityPolicy([`ws://${LOOPBACK}:${port}`]) };

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      if (events.subscriberCount > 0) {
        events.notify('warning', 'carpdeck serve is shutting down; this page stops working until it is started again.');
      }
      events.close();
      cluster.dispose();
      for (let waited = 0; events.subscriberCount > 0 && waited < 250; waited += 10) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 10));
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      if (wss.clients.size > 0) await new Promise((r) => setTimeout(r, 100));
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      wss.close();
    })());

  return { url: `${origin}/#token=${token}`, token, port, origin, events, cluster, close };
}
