import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import { fail, ok, type Result } from './errors.js';
import type { Identity } from './identity.js';
import { DEFAULT_LIMITS, decodeCall, decodeResponse, encodeCall, encodeFault, encodeResponse, XmlRpcError, type XmlRpcValue } from './xmlrpc.js';

/** The only methods a node answers: no remote execution of any kind. */
export const METHODS = ['carpdeck.status', 'carpdeck.pushRevision', 'carpdeck.checksums'] as const;
export type Method = (typeof METHODS)[number];
export type Handlers = Record<Method, (params: XmlRpcValue[]) => Promise<XmlRpcValue>>;

export const RPC_PATH = '/RPC2';
const MAX_BYTES = DEFAULT_LIMITS.maxBytes;

export interface ServerOptions {
  host: string;
  port: number;
  identity: Identity;
  peerFingerprint: string;
  handlers: Handlers;
  /** Refusals (unpinned certificate, bad request) for the log. */
  onRefused?(why: string): void;
}

/** HTTPS with client certificates: only the pinned peer gets past the TLS layer into XML-RPC. */
export async function startRpcServer(o: ServerOptions): Promise<Result<Server>> {
  const server = createServer({ key: o.identity.key, cert: o.identity.cert, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, (req, res) => {
    void serve(o, req, res);
  });
  server.on('tlsClientError', (e) => o.onRefused?.(`TLS handshake refused: ${e.message}`));
  // One peer, one request at a time: a few connections and short timeouts keep a flood or a stalled client cheap.
  server.maxConnections = 8;
  server.headersTimeout = 10_000;
  server.requestTimeout = 120_000;
  return new Promise((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      resolve(fail('LISTEN', `cannot listen on ${o.host}:${o.port} (${e.code ?? e.message}); check configSync.listen is an address of this node and the port is free`, `${o.host}:${o.port}`)),
    );
    server.listen(o.port, o.host, () => resolve(ok(server)));
  });
}

function reply(res: ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

async function serve(o: ServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const peer = (req.socket as TLSSocket).getPeerCertificate();
  const fp = peer && 'fingerprint256' in peer ? peer.fingerprint256 : undefined;
  if (fp !== o.peerFingerprint) {
    o.onRefused?.(`refused ${req.socket.remoteAddress}: client certificate ${fp ?? '(none)'} is not the pinned peer`);
    req.resume();
    return reply(res, 403, `client certificate ${fp ?? '(none)'} is not the pinned peer certificate\n`);
  }
  if (req.method !== 'POST' || req.url !== RPC_PATH) {
    req.resume();
    return reply(res, 404, `only POST ${RPC_PATH}\n`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BYTES) return reply(res, 413, `request larger than ${MAX_BYTES} bytes\n`);
    chunks.push(c);
  }
  let call;
  try {
    call = decodeCall(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    return reply(res, 200, encodeFault(2, `malformed XML-RPC: ${e instanceof XmlRpcError ? e.message : String(e)}`), 'text/xml');
  }
  const handler = (o.handlers as Record<string, Handlers[Method] | undefined>)[call.method];
  if (!handler || !(METHODS as readonly string[]).includes(call.method)) {
    o.onRefused?.(`refused method ${call.method} from the peer`);
    return reply(res, 200, encodeFault(1, `no such method ${call.method}; this node answers only ${METHODS.join(', ')}`), 'text/xml');
  }
  try {
    reply(res, 200, encodeResponse(await handler(call.params)), 'text/xml');
  } catch (e) {
    reply(res, 200, encodeFault(3, `internal error: ${e instanceof Error ? e.message : String(e)}`), 'text/xml');
  }
}

export interface CallOptions {
  host: string;
  port: number;
  identity: Identity;
  peerFingerprint: string;
  timeoutMs: number;
}

/**
 * One XML-RPC call to the peer. The request is written only after the server's certificate matched the pin, so
 * nothing (not even the method name) reaches an impostor.
 */
export function callPeer(o: CallOptions, method: Method, params: XmlRpcValue[]): Promise<Result<XmlRpcValue>> {
  const where = `${o.host}:${o.port}`;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Result<XmlRpcValue>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const socket = connect({ host: o.host, port: o.port, key: o.identity.key, cert: o.identity.cert, rejectUnauthorized: false, minVersion: 'TLSv1.2' });
    const timer = setTimeout(() => done(fail('PEER_TIMEOUT', `the peer at ${where} did not answer within ${o.timeoutMs} ms`, where)), o.timeoutMs);
    const chunks: Buffer[] = [];
    let size = 0;
    socket.on('error', (e: NodeJS.ErrnoException) => done(fail('PEER_UNREACHABLE', `cannot reach the peer at ${where}: ${e.code ?? e.message}`, where)));
    socket.on('secureConnect', () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      if (fp !== o.peerFingerprint) {
        done(fail('PEER_NOT_PINNED', `the server at ${where} presented certificate ${fp ?? '(none)'}, not the pinned peer certificate ${o.peerFingerprint}; nothing was sent`, where));
        return;
      }
      const body = Buffer.from(encodeCall(method, params));
      socket.write(`POST ${RPC_PATH} HTTP/1.1\r\nHost: ${o.host}\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      socket.write(body);
    });
    socket.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BYTES) done(fail('PEER_REPLY', `the peer's reply is larger than ${MAX_BYTES} bytes`, where));
      else chunks.push(c);
    });
    socket.on('end', () => done(parseHttpReply(Buffer.concat(chunks), where)));
  });
}

function parseHttpReply(raw: Buffer, where: string): Result<XmlRpcValue> {
  const text = raw.toString('utf8');
  const head = text.indexOf('\r\n\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (head < 0 || !status) return fail('PEER_REPLY', `the peer at ${where} sent no HTTP reply (is it a CarpDeck node?)`, where);
  const body = text.slice(head + 4);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(text.slice(0, head))) return fail('PEER_REPLY', `the peer at ${where} sent a chunked reply, which CarpDeck does not send`, where);
  if (status[1] !== '200') return fail(status[1] === '403' ? 'PEER_REFUSED' : 'PEER_REPLY', `the peer at ${where} answered ${status[1]}: ${body.trim().slice(0, 300)}`, where);
  try {
    const r = decodeResponse(body);
    if (r.fault) return fail('PEER_FAULT', `the peer at ${where} answered fault ${r.code}: ${r.message}`, where);
    return ok(r.value);
  } catch (e) {
    return fail('PEER_REPLY', `the peer at ${where} sent malformed XML-RPC: ${e instanceof Error ? e.message : String(e)}`, where);
  }
}
