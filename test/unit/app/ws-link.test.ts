import { createORPCClient } from '@orpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RPC_SUBPROTOCOL, tokenFromFragment, tokenSubprotocol } from '../../../shared/api/transport.js';
import { startServer, type RunningServer } from '../../../electron/headless/server.js';
import type { ApiClient } from '../../../renderer/src/api/client.js';
import { ConnectionStore, type ConnectionState } from '../../../renderer/src/api/connection.js';
import { ApiError } from '../../../renderer/src/api/errors.js';
import { backoffDelay, ReconnectingWebSocketLink, type SocketFactory } from '../../../renderer/src/api/ws-link.js';
import { makeSite } from './helpers.js';

const token = '0123456789abcdef0123456789abcdef';

function browserLikeSocket(origin: string): SocketFactory {
  return (url, protocols) => {
    const ws = new WebSocket(url, protocols, { origin });
    // Browsers report a failed connection as an event; ws would throw without a listener.
    ws.on('error', () => undefined);
    return ws as unknown as globalThis.WebSocket;
  };
}

describe('renderer WebSocket link', () => {
  const site = makeSite();
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function link(server: RunningServer, connection: ConnectionStore) {
    const l = new ReconnectingWebSocketLink<Record<never, never>>({
      url: `ws://127.0.0.1:${server.port}/rpc`,
      protocols: [RPC_SUBPROTOCOL, tokenSubprotocol(token)],
      connection,
      createSocket: browserLikeSocket(server.origin),
      minDelayMs: 20,
      maxDelayMs: 80,
    });
    cleanups.push(() => l.close());
    return l;
  }

  it('calls the API, reconnects after the server restarts on the same port, and reports each state', async () => {
    let server = await startServer({ staticDir: site.staticDir, token });
    cleanups.push(() => server.close());
    const connection = new ConnectionStore({ status: 'connecting', transport: 'websocket' });
    const states: ConnectionState['status'][] = [];
    connection.subscribe((s) => states.push(s.status));
    const client = createORPCClient<ApiClient>(link(server, connection));

    expect(await client.system.info()).toMatchObject({ mode: 'browser' });
    const port = server.port;
    await server.close();
    await expect.poll(() => connection.get().status).toBe('reconnecting');
    server = await startServer({ staticDir: site.staticDir, token, port });
    expect(await client.system.info()).toMatchObject({ mode: 'browser' });
    expect(connection.get().status).toBe('open');
    expect(states[0]).toBe('open');
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('open');
  });

  it('fails a stream in progress with DISCONNECTED when the connection drops', async () => {
    const server = await startServer({ staticDir: site.staticDir, token });
    cleanups.push(() => server.close());
    const sockets: WebSocket[] = [];
    const recording: SocketFactory = (url, protocols) => {
      const ws = browserLikeSocket(server.origin)(url, protocols) as unknown as WebSocket;
      sockets.push(ws);
      return ws as unknown as globalThis.WebSocket;
    };
    const connection = new ConnectionStore({ status: 'connecting', transport: 'websocket' });
    const l = new ReconnectingWebSocketLink<Record<never, never>>({
      url: `ws://127.0.0.1:${server.port}/rpc`,
      protocols: [RPC_SUBPROTOCOL, tokenSubprotocol(token)],
      connection,
      createSocket: recording,
    });
    cleanups.push(() => l.close());
    const client = createORPCClient<ApiClient>(l);
    const stream = await client.system.events();
    expect((await stream.next()).value).toMatchObject({ kind: 'hello' });
    const next = stream.next();
    sockets[0].terminate();
    await expect(next).rejects.toBeInstanceOf(ApiError);
    await expect(next).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });

  it('tells open streams that the server is shutting down, then ends them', async () => {
    const server = await startServer({ staticDir: site.staticDir, token });
    const connection = new ConnectionStore({ status: 'connecting', transport: 'websocket' });
    const client = createORPCClient<ApiClient>(link(server, connection));
    const stream = await client.system.events();
    expect((await stream.next()).value).toMatchObject({ kind: 'hello' });
    const closed = server.close();
    expect((await stream.next()).value).toMatchObject({ kind: 'notice', level: 'warning', message: expect.stringContaining('shutting down') });
    expect(await stream.next()).toMatchObject({ done: true });
    await closed;
  });

  it('fails pending calls with CLOSED after close()', async () => {
    const connection = new ConnectionStore({ status: 'connecting', transport: 'websocket' });
    const l = new ReconnectingWebSocketLink<Record<never, never>>({
      url: 'ws://127.0.0.1:9/rpc',
      protocols: [RPC_SUBPROTOCOL],
      connection,
      createSocket: browserLikeSocket('http://127.0.0.1:9'),
      minDelayMs: 10,
      maxDelayMs: 10,
    });
    const client = createORPCClient<ApiClient>(l);
    const pending = client.system.info();
    l.close();
    await expect(pending).rejects.toMatchObject({ code: 'CLOSED' });
    expect(connection.get().status).toBe('closed');
  });

  it('gives up with REJECTED when the server answers but refuses the token (serve restarted)', async () => {
    const server = await startServer({ staticDir: site.staticDir, token });
    cleanups.push(() => server.close());
    const connection = new ConnectionStore({ status: 'connecting', transport: 'websocket' });
    const l = new ReconnectingWebSocketLink<Record<never, never>>({
      url: `ws://127.0.0.1:${server.port}/rpc`,
      protocols: [RPC_SUBPROTOCOL, tokenSubprotocol('f'.repeat(32))],
      connection,
      createSocket: browserLikeSocket(server.origin),
      serverAnswers: () => fetch(`${server.origin}/`, { method: 'HEAD' }).then((r) => r.ok),
    });
    cleanups.push(() => l.close());
    const call = createORPCClient<ApiClient>(l).system.info();
    await expect(call).rejects.toMatchObject({ code: 'REJECTED' });
    const state = connection.get();
    expect(state.status).toBe('failed');
    expect(state.status === 'failed' && state.error.message).toContain('earlier run of `carpdeck serve`');
  });

  it('keeps retrying while the server does not answer at all', async () => {
    const connection = new ConnectionStore({ status: 'connecting', transport: 'websocket' });
    const l = new ReconnectingWebSocketLink<Record<never, never>>({
      url: 'ws://127.0.0.1:9/rpc',
      protocols: [RPC_SUBPROTOCOL],
      connection,
      createSocket: browserLikeSocket('http://127.0.0.1:9'),
      minDelayMs: 5,
      maxDelayMs: 5,
      serverAnswers: () => Promise.resolve(false),
    });
    const attempts: number[] = [];
    connection.subscribe((s) => s.status === 'reconnecting' && attempts.push(s.attempt));
    cleanups.push(() => l.close());
    await expect.poll(() => attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.slice(0, 3)).toEqual([1, 2, 3]);
    expect(connection.get().status).not.toBe('failed');
  });

  it('reconnects at once when told the open socket went silent', async () => {
    const server = await startServer({ staticDir: site.staticDir, token });
    cleanups.push(() => server.close());
    const connection = new ConnectionStore({ status: 'connecting', transport: 'websocket' });
    const states: ConnectionState['status'][] = [];
    connection.subscribe((s) => states.push(s.status));
    const l = link(server, connection);
    const client = createORPCClient<ApiClient>(l);
    await client.system.info();
    l.dropConnection();
    expect(connection.get().status).toBe('reconnecting');
    expect(await client.system.info()).toMatchObject({ mode: 'browser' });
    expect(states).toEqual(['open', 'reconnecting', 'open']);
  });

  it('backs off exponentially up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 250, 10_000))).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000]);
  });

  it('reads only a well-formed token from the URL fragment', () => {
    expect(tokenFromFragment(`#token=${token}`)).toBe(token);
    expect(tokenFromFragment(`#view=diag&token=${token}`)).toBe(token);
    expect(tokenFromFragment('#token=abc')).toBeUndefined();
    expect(tokenFromFragment('')).toBeUndefined();
  });
});
