// Hands the page its API connection: a MessagePort whose other end is served by the oRPC router. Only main can
// create the port and it posts it only to the window it created, while that window shows our own app:// page,
// so nothing else can reach the API. Each page load gets a fresh channel; the previous one is closed.
import { MessageChannelMain, type MessagePortMain, type WebContents } from 'electron';
import { RPCHandler } from '@orpc/server/message-port';
import { RPC_PORT_MESSAGE } from '../../shared/api/transport.js';
import type { AppRouter } from '../core/api/router.js';
import { isAppUrl } from './security.js';

/** The port goes only to the webContents we created, and only while it shows app://carpdeck. */
export function mayReceivePort(contents: { id: number; getURL(): string }, ownId: number): boolean {
  return contents.id === ownId && isAppUrl(contents.getURL());
}

export function connectRenderer(contents: WebContents, router: AppRouter): void {
  const handler = new RPCHandler(router);
  const ownId = contents.id;
  let current: MessagePortMain | undefined;
  contents.on('did-finish-load', () => {
    current?.close();
    current = undefined;
    if (!mayReceivePort(contents, ownId)) return;
    const { port1, port2 } = new MessageChannelMain();
    handler.upgrade(port1);
    port1.start();
    current = port1;
    contents.postMessage(RPC_PORT_MESSAGE, null, [port2]);
  });
  contents.once('destroyed', () => current?.close());
}
