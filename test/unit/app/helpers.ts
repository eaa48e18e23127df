import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/websocket';
import type { ContractRouterClient } from '@orpc/contract';
import WebSocket from 'ws';
import type { Contract } from '../../../shared/api/contract.js';
import { RPC_SUBPROTOCOL, tokenSubprotocol } from '../../../shared/api/transport.js';

/** A renderer build stand-in: <tmp>/site/index.html, and a file outside the site that must never be served. */
export function makeSite(): { root: string; staticDir: string; secret: string; remove(): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'carpdeck-site-'));
  const staticDir = path.join(root, 'site');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>CarpDeck</title>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  const secret = 'outside-the-site-' + Math.random().toString(36).slice(2);
  writeFileSync(path.join(root, 'package.json'), secret);
  return { root, staticDir, secret, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface WsAttempt {
  opened: boolean;
  status?: number;
  body?: string;
  socket?: WebSocket;
}

/** Opens a WebSocket with exactly the given Origin and subprotocols and reports whether the upgrade succeeded. */
export function tryWebSocket(url: string, protocols: string[], origin?: string): Promise<WsAttempt> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, origin === undefined ? {} : { origin });
    ws.on('open', () => resolve({ opened: true, socket: ws }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ opened: false, status: res.statusCode, body }));
    });
    ws.on('error', () => resolve({ opened: false }));
  });
}

export type TestClient = ContractRouterClient<Contract>;

/** An oRPC client over a real WebSocket, authenticated like the page does it. */
export async function connectClient(port: number, token: string): Promise<{ client: TestClient; socket: WebSocket }> {
  const attempt = await tryWebSocket(`ws://127.0.0.1:${port}/rpc`, [RPC_SUBPROTOCOL, tokenSubprotocol(token)], `http://127.0.0.1:${port}`);
  if (!attempt.socket) throw new Error(`upgrade refused: ${attempt.status} ${attempt.body}`);
  const link = new RPCLink({ websocket: attempt.socket as unknown as globalThis.WebSocket });
  return { client: createORPCClient<TestClient>(link), socket: attempt.socket };
}
