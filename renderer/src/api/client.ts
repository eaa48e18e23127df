// The UI's handle on the backend: `getApi()` resolves to a client typed by shared/api/contract.ts.
// In Electron (the page is served from app://) the calls go over the MessagePort the preload hands over; in a
// browser (`carpdeck serve`) over a WebSocket to ws://<host>/rpc, authenticated by the token in the URL fragment.
import { createORPCClient } from '@orpc/client';
import { RPCLink as PortLink } from '@orpc/client/message-port';
import type { ContractRouterClient } from '@orpc/contract';
import type { Contract } from '../../../shared/api/contract.js';
import { RPC_PATH, RPC_SUBPROTOCOL, tokenFromFragment, tokenSubprotocol } from '../../../shared/api/transport.js';
import { ConnectionStore } from './connection.js';
import { ApiError } from './errors.js';
import { followEvents, NoticeStore } from './events.js';
import { waitForPort } from './port-transport.js';
import { ReconnectingWebSocketLink } from './ws-link.js';

export type ApiClient = ContractRouterClient<Contract>;

const PORT_TIMEOUT_MS = 10_000;

const inElectron = typeof window !== 'undefined' && window.location.protocol === 'app:';

/** The state of the connection, for the status bar: `connection.get()` and `connection.subscribe(fn)`. */
export const connection = new ConnectionStore({ status: 'connecting', transport: inElectron ? 'message-port' : 'websocket' });

/** The latest notice from the backend (for example "carpdeck serve is shutting down"), for the status bar. */
export const notices = new NoticeStore();

let api: Promise<ApiClient> | undefined;
let wsLink: ReconnectingWebSocketLink<Record<never, never>> | undefined;

export function getApi(): Promise<ApiClient> {
  if (!api) {
    api = inElectron ? viaPort() : viaWebSocket();
    api.then((client) => followEvents(client, connection, notices.accept, { onSilence: () => wsLink?.dropConnection() })).catch(() => undefined);
  }
  return api;
}

async function viaPort(): Promise<ApiClient> {
  const port = await waitForPort(PORT_TIMEOUT_MS);
  if (!port) {
    const error = new ApiError(
      'NO_PORT',
      'The CarpDeck window did not receive its connection to the backend. Restart CarpDeck; if it persists, run it from a terminal and report what it prints.',
      'message-port',
    );
    connection.set({ status: 'failed', transport: 'message-port', error });
    throw error;
  }
  const link = new PortLink({ port });
  port.start();
  connection.set({ status: 'open', transport: 'message-port' });
  return createORPCClient<ApiClient>(link);
}

async function viaWebSocket(): Promise<ApiClient> {
  const url = `ws://${window.location.host}${RPC_PATH}`;
  const token = tokenFromFragment(window.location.hash);
  if (!token) {
    const error = new ApiError(
      'NO_TOKEN',
      'This page was opened without its access token. Open the full address `carpdeck serve` printed, including the part after #token=.',
      window.location.href.replace(/#.*/, ''),
    );
    connection.set({ status: 'failed', transport: 'websocket', error });
    throw error;
  }
  wsLink = new ReconnectingWebSocketLink<Record<never, never>>({
    url,
    protocols: [RPC_SUBPROTOCOL, tokenSubprotocol(token)],
    connection,
    serverAnswers: () =>
      fetch(`${window.location.origin}/`, { method: 'HEAD', cache: 'no-store' }).then(
        (r) => r.ok,
        () => false,
      ),
  });
  return createORPCClient<ApiClient>(wsLink);
}
