import { MessagePort } from 'node:worker_threads';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/message-port';
import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { EventHub } from '../../../electron/core/api/events.js';
import { createRouter } from '../../../electron/core/api/router.js';
import { connectRenderer, mayReceivePort } from '../../../electron/main/port.js';
import type { ApiClient } from '../../../renderer/src/api/client.js';
import { FakeWebContents } from './fakes.js';

vi.mock('electron', async () => {
  const { MessageChannel: NodeChannel } = await import('node:worker_threads');
  return { MessageChannelMain: NodeChannel };
});

function router() {
  return createRouter({ platform: { mode: 'electron', version: '9.9.9', os: 'linux' }, events: new EventHub() });
}

describe('MessagePort hand-off to the renderer', () => {
  it('only our own webContents showing app://carpdeck may receive the port', () => {
    expect(mayReceivePort({ id: 7, getURL: () => 'app://carpdeck/index.html' }, 7)).toBe(true);
    expect(mayReceivePort({ id: 8, getURL: () => 'app://carpdeck/index.html' }, 7)).toBe(false);
    expect(mayReceivePort({ id: 7, getURL: () => 'https://evil.example/' }, 7)).toBe(false);
  });

  it('posts a port after the page loads, and the API answers over it', async () => {
    const contents = new FakeWebContents(3);
    connectRenderer(contents as unknown as WebContents, router());
    expect(contents.postMessage).not.toHaveBeenCalled();
    contents.emit('did-finish-load');
    expect(contents.postMessage).toHaveBeenCalledWith('rpc-port', null, [expect.any(MessagePort)]);
    const port = contents.postMessage.mock.calls[0][2][0] as MessagePort;
    const client = createORPCClient<ApiClient>(new RPCLink({ port: port as unknown as globalThis.MessagePort }));
    port.start();
    try {
      expect(await client.system.info()).toEqual({ version: '9.9.9', mode: 'electron', platform: 'linux' });
    } finally {
      port.close();
    }
  });

  it('does not hand a port to a page that navigated away from the app', () => {
    const contents = new FakeWebContents(4);
    connectRenderer(contents as unknown as WebContents, router());
    contents.url = 'https://evil.example/';
    contents.emit('did-finish-load');
    expect(contents.postMessage).not.toHaveBeenCalled();
  });

  it('gives each page load a fresh channel and closes the previous one', async () => {
    const contents = new FakeWebContents(5);
    connectRenderer(contents as unknown as WebContents, router());
    contents.emit('did-finish-load');
    const first = contents.postMessage.mock.calls[0][2][0] as MessagePort;
    const firstClosed = new Promise((resolve) => first.once('close', resolve));
    contents.emit('did-finish-load');
    expect(contents.postMessage).toHaveBeenCalledTimes(2);
    expect(contents.postMessage.mock.calls[1][2][0]).not.toBe(first);
    await firstClosed;
    (contents.postMessage.mock.calls[1][2][0] as MessagePort).close();
  });
});
