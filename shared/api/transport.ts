// Names both ends of a transport must agree on.

/** The message the Electron preload posts to the page, carrying the MessagePort in `ports[0]`. */
export const RPC_PORT_MESSAGE = 'rpc-port';

/** Path of the headless server's WebSocket endpoint. */
export const RPC_PATH = '/rpc';

/** The WebSocket subprotocol the server selects; the page offers it first. */
export const RPC_SUBPROTOCOL = 'carpdeck.rpc';

/** The page offers its token as a second subprotocol, `carpdeck.token.<32 hex digits>`. */
export const TOKEN_SUBPROTOCOL_PREFIX = 'carpdeck.token.';

/** A session token: 128 random bits as 32 lowercase hex digits. */
export const TOKEN_PATTERN = /^[0-9a-f]{32}$/;

export function tokenSubprotocol(token: string): string {
  return TOKEN_SUBPROTOCOL_PREFIX + token;
}

/** Reads the token from a URL fragment such as `#token=…` (other `&`-separated fields are ignored). */
export function tokenFromFragment(hash: string): string | undefined {
  for (const field of hash.replace(/^#/, '').split('&')) {
    const [name, value] = field.split('=');
    if (name === 'token' && value !== undefined && TOKEN_PATTERN.test(value)) return value;
  }
  return undefined;
}
