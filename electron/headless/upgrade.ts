// Who may open the RPC WebSocket: only our own page (exact Origin) holding this run's token. Browsers do not
// apply the same-origin policy to WebSockets, so without these checks any site could drive the API.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { RPC_PATH, RPC_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../../shared/api/transport.js';

export type UpgradeDecision = { ok: true } | { ok: false; status: 400 | 401 | 403 | 404 | 421; reason: string };

export interface UpgradePolicy {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** `127.0.0.1:PORT` */
  host: string;
  token: string;
}

export function parseSubprotocols(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function checkUpgrade(url: string | undefined, headers: IncomingHttpHeaders, policy: UpgradePolicy): UpgradeDecision {
  if ((url ?? '').split('?')[0] !== RPC_PATH) return { ok: false, status: 404, reason: `no WebSocket endpoint here; use ${RPC_PATH}` };
  if (headers.host !== policy.host) return { ok: false, status: 421, reason: `wrong Host header; connect to ${policy.host}` };
  if (headers.origin !== policy.origin) return { ok: false, status: 403, reason: `Origin ${headers.origin ?? '(none)'} is not allowed; only ${policy.origin}` };
  const protocols = parseSubprotocols(headers['sec-websocket-protocol']);
  if (!protocols.includes(RPC_SUBPROTOCOL)) return { ok: false, status: 400, reason: `the ${RPC_SUBPROTOCOL} subprotocol is required` };
  const offered = protocols.find((p) => p.startsWith(TOKEN_SUBPROTOCOL_PREFIX));
  if (!offered) return { ok: false, status: 401, reason: 'no access token; open the URL carpdeck serve printed, with its #token=' };
  if (!sameSecret(offered.slice(TOKEN_SUBPROTOCOL_PREFIX.length), policy.token)) {
    return { ok: false, status: 401, reason: 'wrong access token; it changes on every start of carpdeck serve, open the new URL' };
  }
  return { ok: true };
}
