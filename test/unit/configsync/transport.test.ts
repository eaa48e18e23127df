import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:https';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realExec } from '../../../daemon/configsync/exec.js';
import { realFs } from '../../../daemon/configsync/fsops.js';
import { ensureIdentity, type Identity } from '../../../daemon/configsync/identity.js';
import { callPeer, startRpcServer, type Handlers } from '../../../daemon/configsync/transport.js';
import type { XmlRpcValue } from '../../../daemon/configsync/xmlrpc.js';

let dir: string;
let server: Identity;
let client: Identity;
let stranger: Identity;
let srv: Server;
let port: number;
const calls: string[] = [];
const refusals: string[] = [];

async function identity(name: string): Promise<Identity> {
  const r = await ensureIdentity(realFs, realExec, name, join(dir, `${name}.key`), join(dir, `${name}.crt`));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cfgsync-tls-'));
  [server, client, stranger] = await Promise.all([identity('fw2'), identity('fw1'), identity('evil')]);
  const handler = (name: string) => async (params: XmlRpcValue[]) => (calls.push(name), { method: name, echo: params });
  const handlers: Handlers = { 'carpdeck.status': handler('status'), 'carpdeck.checksums': handler('checksums'), 'carpdeck.pushRevision': handler('push') };
  const r = await startRpcServer({ host: '127.0.0.1', port: 0, identity: server, peerFingerprint: client.fingerprint, handlers, onRefused: (w) => refusals.push(w) });
  if (!r.ok) throw new Error(r.error.message);
  srv = r.value;
  port = (srv.address() as { port: number }).port;
});
afterAll(async () => {
  srv.closeAllConnections();
  await new Promise((r) => srv.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const opts = (identity: Identity, peerFingerprint: string) => ({ host: '127.0.0.1', port, identity, peerFingerprint, timeoutMs: 5000 });

describe('XML-RPC over mutual TLS with pinned certificates', () => {
  it('serves the pinned peer', async () => {
    const r = await callPeer(opts(client, server.fingerprint), 'carpdeck.status', [{ node: 'fw1' }]);
    expect(r).toEqual({ ok: true, value: { method: 'status', echo: [{ node: 'fw1' }] } });
  });

  it('a new identity gets its own fingerprint and reloads unchanged from disk', async () => {
    expect(new Set([server.fingerprint, client.fingerprint, stranger.fingerprint]).size).toBe(3);
    expect((await identity('fw2')).fingerprint).toBe(server.fingerprint);
  });

  it('refuses a client whose certificate is not pinned, before any method runs', async () => {
    const before = calls.length;
    const r = await callPeer(opts(stranger, server.fingerprint), 'carpdeck.pushRevision', []);
    expect(r).toMatchObject({ ok: false, error: { code: 'PEER_REFUSED', message: expect.stringContaining('not the pinned peer') } });
    expect(calls.length).toBe(before);
    expect(refusals.some((w) => w.includes(stranger.fingerprint))).toBe(true);
  });

  it('sends nothing to a server whose certificate is not the pinned one', async () => {
    const before = calls.length;
    const r = await callPeer(opts(client, stranger.fingerprint), 'carpdeck.pushRevision', ['secret']);
    expect(r).toMatchObject({ ok: false, error: { code: 'PEER_NOT_PINNED', message: expect.stringContaining('nothing was sent') } });
    expect(calls.length).toBe(before);
  });

  it('refuses any method besides status, pushRevision and checksums', async () => {
    const before = calls.length;
    const r = await callPeer(opts(client, server.fingerprint), 'system.exec' as 'carpdeck.status', ['rm -rf /']);
    expect(r).toMatchObject({ ok: false, error: { code: 'PEER_FAULT', message: expect.stringContaining('no such method system.exec') } });
    expect(calls.length).toBe(before);
  });

  it('refuses a plain HTTP request on the sync port', async () => {
    const reply = await new Promise<string>((resolve) => {
      const s = netConnect(port, '127.0.0.1', () => s.write('POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'));
      let out = '';
      s.on('data', (d) => (out += d.toString('latin1')));
      s.on('error', () => resolve(out));
      s.on('close', () => resolve(out));
    });
    expect(reply).not.toMatch(/^HTTP\/1\.1 200/);
    expect(reply).not.toContain('methodResponse');
  });

  it('reports an unreachable peer as a value', async () => {
    const r = await callPeer({ ...opts(client, server.fingerprint), port: 1 }, 'carpdeck.status', []);
    expect(r).toMatchObject({ ok: false, error: { code: 'PEER_UNREACHABLE' } });
  });
});
