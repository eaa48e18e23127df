import { createORPCClient } from '@orpc/client';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SystemEvent } from '../../../shared/api/contract.js';
import { RPC_SUBPROTOCOL, tokenSubprotocol } from '../../../shared/api/transport.js';
import { startServer } from '../../../electron/headless/server.js';
import type { ApiClient } from '../../../renderer/src/api/client.js';
import { ConnectionStore } from '../../../renderer/src/api/connection.js';
import { followEvents, NoticeStore } from '../../../renderer/src/api/events.js';
import { ReconnectingWebSocketLink } from '../../../renderer/src/api/ws-link.js';
import { makeSite } from './helpers.js';

const token = 'fedcba9876543210fedcba9876543210';

describe('following the backend event stream', () => {
  const site = makeSite();
  afterAll(() => site.remove());

  it('keeps delivering across a server restart, with one hello per connection', async () => {
    let server = await startServer({ staticDir: site.staticDir, token, heartbeatMs: 60_000 });
    const port = server.port;
    const connection = new ConnectionStore({ status: 'connecting', transport: 'websocket' });
    const link = new ReconnectingWebSocketLink<Record<never, never>>({
      url: `ws://127.0.0.1:${port}/rpc`,
      protocols: [RPC_SUBPROTOCOL, tokenSubprotocol(token)],
      connection,
      createSocket: (url, protocols) => {
        const ws = new WebSocket(url, protocols, { origin: server.origin });
        ws.on('error', () => undefined);
        return ws as unknown as globalThis.WebSocket;
      },
      minDelayMs: 20,
      maxDelayMs: 40,
    });
    const api = createORPCClient<ApiClient>(link);
    const seen: SystemEvent[] = [];
    const notices = new NoticeStore();
    const controller = new AbortController();
    const following = followEvents(
      api,
      connection,
      (e) => {
        seen.push(e);
        notices.accept(e);
      },
      { pauseMs: 10, signal: controller.signal },
    );
    try {
      await expect.poll(() => seen.length).toBe(1);
      server.events.notify('info', 'first');
      await expect.poll(() => notices.get()?.message).toBe('first');
      await server.close();
      expect(notices.get()).toMatchObject({ level: 'warning', message: expect.stringContaining('shutting down') });
      server = await startServer({ staticDir: site.staticDir, token, port, heartbeatMs: 60_000 });
      await expect.poll(() => seen.filter((e) => e.kind === 'hello').length).toBe(2);
      server.events.notify('info', 'after restart');
      await expect.poll(() => notices.get()?.message).toBe('after restart');
      expect(seen.map((e) => e.kind)).toEqual(['hello', 'notice', 'notice', 'hello', 'notice']);
      expect(seen[3]).toMatchObject({ kind: 'hello', run: server.events.run });
      expect(seen[0]).not.toMatchObject({ run: server.events.run });
    } finally {
      controller.abort();
      await following;
      link.close();
      await server.close();
    }
  });

  it('replays, exactly once, a notice published while its connection was down', async () => {
    const server = await startServer({ staticDir: site.staticDir, token, heartbeatMs: 60_000 });
    const sockets: WebSocket[] = [];
    const connection = new ConnectionStore({ status: 'connecting', transport: 'websocket' });
    const link = new ReconnectingWebSocketLink<Record<never, never>>({
      url: `ws://127.0.0.1:${server.port}/rpc`,
      protocols: [RPC_SUBPROTOCOL, tokenSubprotocol(token)],
      connection,
      createSocket: (url, protocols) => {
        const ws = new WebSocket(url, protocols, { origin: server.origin });
        ws.on('error', () => undefined);
        sockets.push(ws);
        return ws as unknown as globalThis.WebSocket;
      },
      minDelayMs: 200,
      maxDelayMs: 200,
    });
    const seen: SystemEvent[] = [];
    const controller = new AbortController();
    const following = followEvents(createORPCClient<ApiClient>(link), connection, (e) => seen.push(e), { pauseMs: 10, signal: controller.signal });
    try {
      await expect.poll(() => server.events.subscriberCount).toBe(1);
      sockets[0].terminate();
      await expect.poll(() => server.events.subscriberCount).toBe(0);
      const missed = server.events.notify('warning', 'while you were away');
      await expect.poll(() => seen.filter((e) => e.kind === 'hello').length).toBe(2);
      await expect.poll(() => seen.filter((e) => e.kind === 'notice').length).toBe(1);
      expect(seen.find((e) => e.kind === 'notice')).toEqual(missed);
      expect(sockets).toHaveLength(2);
    } finally {
      controller.abort();
      await following;
      link.close();
      await server.close();
    }
  });

  it('abandons a stream that went silent for three heartbeats, reports it, and subscribes again', async () => {
    const connection = new ConnectionStore({ status: 'open', transport: 'websocket' });
    const calls: Array<unknown> = [];
    const api = {
      system: {
        events: async (input: unknown, options: { signal: AbortSignal }) => {
          calls.push(input);
          return (async function* () {
            yield { seq: calls.length * 10, time: 0, kind: 'hello', info: { version: '1', mode: 'browser', platform: 'linux' }, heartbeatMs: 5, run: 'r1' } as const;
            await new Promise((_resolve, reject) => options.signal.addEventListener('abort', () => reject(options.signal.reason)));
          })();
        },
      },
    } as unknown as ApiClient;
    let silences = 0;
    const controller = new AbortController();
    const following = followEvents(api, connection, () => undefined, { pauseMs: 1, signal: controller.signal, onSilence: () => silences++ });
    await expect.poll(() => calls.length).toBeGreaterThanOrEqual(2);
    controller.abort();
    await following;
    expect(silences).toBeGreaterThanOrEqual(1);
    expect(calls[0]).toBeUndefined();
    expect(calls[1]).toEqual({ since: 10, run: 'r1' });
  });

  it('stops when the connection fails for good', async () => {
    const connection = new ConnectionStore({ status: 'connecting', transport: 'websocket' });
    const api = {} as ApiClient;
    const following = followEvents(api, connection, () => undefined);
    connection.set({ status: 'closed', transport: 'websocket' });
    await expect(following).resolves.toBeUndefined();
  });
});
