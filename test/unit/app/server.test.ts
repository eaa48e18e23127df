import http from 'node:http';
import { ORPCError } from '@orpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../../package.json';
import type { SystemEvent } from '../../../shared/api/contract.js';
import { RPC_SUBPROTOCOL, tokenSubprotocol } from '../../../shared/api/transport.js';
import { ServerError } from '../../../electron/headless/errors.js';
import { startServer, type RunningServer } from '../../../electron/headless/server.js';
import { connectClient, makeSite, tryWebSocket } from './helpers.js';

function get(port: number, rawPath: string, host = `127.0.0.1:${port}`): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('headless server (carpdeck serve)', () => {
  const site = makeSite();
  let server: RunningServer;
  let wsUrl: string;

  beforeAll(async () => {
    server = await startServer({ staticDir: site.staticDir, heartbeatMs: 40 });
    wsUrl = `ws://127.0.0.1:${server.port}/rpc`;
  });
  afterAll(async () => {
    await server.close();
    site.remove();
  });

  it('prints a loopback URL carrying a 128-bit token in the fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{32}$/);
  });

  it('serves index.html with the strict CSP that allows only its own ws:// origin', async () => {
    const res = await get(server.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>CarpDeck</title>');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port};`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves assets with their content type', async () => {
    const res = await get(server.port, '/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.body).toBe('console.log(1)');
  });

  it.each(['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/assets/..%2F..%2Fpackage.json', '/assets/%2E%2E/%2e%2e/package.json', '/..\\package.json'])(
    'refuses the traversal %s without revealing files outside the build',
    async (p) => {
      const res = await get(server.port, p);
      expect(res.status).toBe(400);
      expect(res.body).not.toContain(site.secret);
    },
  );

  it('answers 404 for files that do not exist', async () => {
    expect((await get(server.port, '/nope.js')).status).toBe(404);
  });

  it('refuses HTTP requests whose Host is not 127.0.0.1:PORT (DNS rebinding)', async () => {
    const res = await get(server.port, '/', `evil.example:${server.port}`);
    expect(res.status).toBe(421);
  });

  it('refuses a WebSocket without a token', async () => {
    const r = await tryWebSocket(wsUrl, [RPC_SUBPROTOCOL], server.origin);
    expect(r).toMatchObject({ opened: false, status: 401 });
  });

  it('refuses a WebSocket with a wrong token', async () => {
    const wrong = server.token.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const r = await tryWebSocket(wsUrl, [RPC_SUBPROTOCOL, tokenSubprotocol(wrong)], server.origin);
    expect(r).toMatchObject({ opened: false, status: 401 });
  });

  it.each([
    ['missing', undefined],
    ['another site', 'http://evil.example'],
    ['localhost instead of 127.0.0.1', 'http://localhost:PORT'],
    ['another port', 'http://127.0.0.1:1'],
  ])('refuses a WebSocket whose Origin is %s, even with the right token', async (_name, origin) => {
    const r = await tryWebSocket(wsUrl, [RPC_SUBPROTOCOL, tokenSubprotocol(server.token)], origin?.replace('PORT', String(server.port)));
    expect(r).toMatchObject({ opened: false, status: 403 });
  });

  it('answers system.info over a real WebSocket with the oRPC client', async () => {
    const { client, socket } = await connectClient(server.port, server.token);
    try {
      expect(await client.system.info()).toEqual({ version: packageJson.version, mode: 'browser', platform: process.platform });
    } finally {
      socket.close();
    }
  });

  it('rejects invalid input with BAD_REQUEST before the handler runs', async () => {
    const { client, socket } = await connectClient(server.port, server.token);
    try {
      const call = client.system.events({ since: -1 });
      await expect(call).rejects.toBeInstanceOf(ORPCError);
      await expect(call).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect(server.events.subscriberCount).toBe(0);
    } finally {
      socket.close();
    }
  });

  it('streams hello, notices and heartbeats with increasing seq, and ends the subscription when the client goes away', async () => {
    const { client, socket } = await connectClient(server.port, server.token);
    const stream = await client.system.events();
    const first = await stream.next();
    expect(first.value).toMatchObject({ kind: 'hello', heartbeatMs: 40, info: { mode: 'browser' } });
    server.events.notify('info', 'test notice');
    const seen = [first.value as SystemEvent];
    while (!seen.some((e) => e.kind === 'notice') || !seen.some((e) => e.kind === 'heartbeat')) {
      const r = await stream.next();
      expect(r.done).toBe(false);
      seen.push(r.value as SystemEvent);
    }
    expect(seen.find((e) => e.kind === 'notice')).toMatchObject({ level: 'info', message: 'test notice' });
    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    socket.close();
    await expect.poll(() => server.events.subscriberCount).toBe(0);
  });

  it('replays notices newer than `since` after a reconnect', async () => {
    const before = server.events.notify('info', 'old');
    const missed = server.events.notify('warning', 'missed while away');
    const { client, socket } = await connectClient(server.port, server.token);
    try {
      const hello = await (await client.system.events()).next();
      const run = (hello.value as Extract<SystemEvent, { kind: 'hello' }>).run;
      const stream = await client.system.events({ since: before.seq, run });
      expect((await stream.next()).value).toMatchObject({ kind: 'hello' });
      expect((await stream.next()).value).toEqual(missed);
      await stream.return?.();
    } finally {
      socket.close();
    }
  });
});

describe('headless server options', () => {
  it.each(['0.0.0.0', '192.168.1.10', '::', 'localhost'])('refuses to listen on %s with NOT_LOOPBACK', async (host) => {
    const site = makeSite();
    try {
      const start = startServer({ staticDir: site.staticDir, host });
      await expect(start).rejects.toBeInstanceOf(ServerError);
      await expect(start).rejects.toMatchObject({ code: 'NOT_LOOPBACK', where: 'host' });
    } finally {
      site.remove();
    }
  });

  it('says the UI is not built when index.html is missing', async () => {
    await expect(startServer({ staticDir: '/nonexistent/carpdeck-renderer' })).rejects.toMatchObject({
      code: 'NO_RENDERER',
      message: expect.stringContaining('npm run build'),
    });
  });

  it('refuses a malformed token and an out-of-range port', async () => {
    const site = makeSite();
    try {
      await expect(startServer({ staticDir: site.staticDir, token: 'short' })).rejects.toMatchObject({ code: 'BAD_TOKEN' });
      await expect(startServer({ staticDir: site.staticDir, port: 70000 })).rejects.toMatchObject({ code: 'BAD_PORT' });
    } finally {
      site.remove();
    }
  });

  it('reports a port already in use as PORT_IN_USE', async () => {
    const site = makeSite();
    const first = await startServer({ staticDir: site.staticDir });
    try {
      await expect(startServer({ staticDir: site.staticDir, port: first.port })).rejects.toMatchObject({ code: 'PORT_IN_USE' });
    } finally {
      await first.close();
      site.remove();
    }
  });
});
