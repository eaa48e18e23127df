// Electron transport: the preload posts the MessagePort main created for this page. The listener is installed
// when this module is imported (module scripts run before `did-finish-load`), so the port cannot arrive unheard.
import { RPC_PORT_MESSAGE } from '../../../shared/api/transport.js';

let received: MessagePort | undefined;
const waiting = new Set<(port: MessagePort) => void>();

export function isPortMessage(event: MessageEvent, self: Window, origin: string): boolean {
  return event.source === self && event.origin === origin && event.data === RPC_PORT_MESSAGE && event.ports.length === 1;
}

if (typeof window !== 'undefined') {
  window.addEventListener('message', (event) => {
    if (!isPortMessage(event, window, window.location.origin)) return;
    received = event.ports[0];
    for (const resolve of waiting) resolve(received);
    waiting.clear();
  });
}

/** Resolves with the port from the preload, or undefined if none arrived within `timeoutMs`. */
export function waitForPort(timeoutMs: number): Promise<MessagePort | undefined> {
  if (received) return Promise.resolve(received);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(done);
      resolve(undefined);
    }, timeoutMs);
    const done = (port: MessagePort) => {
      clearTimeout(timer);
      resolve(port);
    };
    waiting.add(done);
  });
}
