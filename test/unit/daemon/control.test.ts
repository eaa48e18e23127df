import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../daemon/config/load.js';
import { request } from '../../../daemon/control/client.js';
import type { ControlResponse } from '../../../daemon/control/protocol.js';
import { startControlServer, type ControlServer } from '../../../daemon/control/server.js';
import { EventLog } from '../../../daemon/events/log.js';
import { Carpd } from '../../../daemon/runtime/daemon.js';
import type { DaemonIo } from '../../../daemon/runtime/io.js';

/** A host with one interface whose link is up; records VIP changes and sent frames instead of touching the system. */
function fakeIo() {
  const sent: Uint8Array[] = [];
  const vipOps: string[] = [];
  const io: DaemonIo = {
    openPort: () => ({ send: (f) => void sent.push(f), close: () => {} }),
    interfaceAddresses: async () => ({ mac: '02:00:00:00:00:01', addresses: ['10.0.1.2'], ipv4: '10.0.1.2' }),
    linkUp: () => true,
    addVips: async (v) => void vipOps.push(`add ${v.vhid}`),
    removeVips: async (v) => void vipOps.push(`remove ${v.vhid}`),
    removeStaleVips: async () => [],
    neighbourMac: async () => undefined,
    pokeNeighbour: () => {},
    runHook: () => {},
  };
  return { io, sent, vipOps };
}

const configJson = (advskew: number, extra: object[] = []) =>
  JSON.stringify({ node: 'fw1', vhids: [{ vhid: 1, interface: 'lan', advskew, password: 'secret', vips: ['10.0.1.1/24'] }, ...extra] });

describe('carpd control socket', () => {
  let dir: string;
  let server: ControlServer;
  let daemon: Carpd;
  let sock: string;
  let configFile: string;
  let fake: ReturnType<typeof fakeIo>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'carpd-ctl-'));
    sock = join(dir, 'carpd.sock');
    configFile = join(dir, 'carpd.json');
    writeFileSync(configFile, configJson(100));
    const parsed = parseConfigText(configJson(100), configFile);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const config = { ...parsed.config, stateDir: join(dir, 'state'), controlSocket: sock };
    writeFileSync(configFile, JSON.stringify({ ...JSON.parse(configJson(100)), stateDir: config.stateDir, controlSocket: sock }));
    fake = fakeIo();
    const silent = { info: () => {}, warn: () => {}, event: () => {} };
    daemon = new Carpd(config, configFile, fake.io, new EventLog(dir, 'fw1', 1000), silent);
    await daemon.start();
    server = await startControlServer(sock, daemon);
  });

  afterEach(async () => {
    await daemon.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers status with the per-vhid fields carpctl status --json promises, on a 0600 socket', async () => {
    const r = await request(sock, { cmd: 'status' });
    expect(r).toMatchObject({ ok: true, status: { node: 'fw1', vhids: [{ vhid: 1, interface: 'lan', state: 'BACKUP', advbase: 1, advskew: 100, demotion: 0 }] } });
    expect(statSync(sock).mode & 0o777).toBe(0o600);
  });

  it('refuses to start a second server on a socket a live daemon is using', async () => {
    await expect(startControlServer(sock, daemon)).rejects.toThrow(/in use by a running carpd/);
  });

  it('demote N raises the sent advskew and demote --reset clears it', async () => {
    await request(sock, { cmd: 'demote', by: 50 });
    let r = await request(sock, { cmd: 'status' });
    expect('status' in r && r.status.vhids[0]).toMatchObject({ advskewSent: 150, demotion: 50 });
    await request(sock, { cmd: 'demote-reset' });
    r = await request(sock, { cmd: 'status' });
    expect('status' in r && r.status.vhids[0]).toMatchObject({ advskewSent: 100, demotion: 0 });
  });

  it('maintenance on is persisted in the state directory and shown in status', async () => {
    await request(sock, { cmd: 'maintenance', on: true });
    const r = await request(sock, { cmd: 'status' });
    expect('status' in r && r.status).toMatchObject({ maintenance: true, demotionReasons: { maintenance: 240 } });
    expect(statSync(join(dir, 'state', 'maintenance')).isFile()).toBe(true);
  });

  it('returns events since a sequence number and streams new ones with follow', async () => {
    const all = await request(sock, { cmd: 'events', since: 0 });
    expect('events' in all && all.events.map((e) => e.cause)).toEqual(['INIT -> BACKUP: link up on lan']);
    const streamed: ControlResponse[] = [];
    await request(sock, { cmd: 'events', since: 1, follow: true }, (r) => streamed.push(r));
    await request(sock, { cmd: 'demote', by: 10 });
    await expect.poll(() => streamed.length).toBe(1);
    expect(streamed[0]).toMatchObject({ event: { seq: 2, kind: 'demotion', new: 10 } });
  });

  it('reload adds a vhid without touching the unchanged one, and a bad file changes nothing', async () => {
    const base = JSON.parse(configJson(100, [{ vhid: 2, interface: 'lan', password: 'x', vips: ['10.0.1.5/24'] }]));
    writeFileSync(configFile, JSON.stringify({ ...base, stateDir: join(dir, 'state'), controlSocket: sock }));
    const ok = await request(sock, { cmd: 'reload' });
    expect(ok).toEqual({ ok: true, message: 'reloaded: added 2@lan' });
    const after = await request(sock, { cmd: 'status' });
    expect('status' in after && after.status.vhids.map((v) => v.vhid)).toEqual([1, 2]);
    writeFileSync(configFile, '{"node": "fw1", "vhids": [{"vhid": 1, "interface": "lan", "advskew": 300, "vips": ["10.0.1.1/24"]}]}');
    const bad = await request(sock, { cmd: 'reload' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'config-invalid' } });
    expect('error' in bad && bad.error.message).toContain('vhids[0].advskew: must be 0..254, got 300');
    const still = await request(sock, { cmd: 'status' });
    expect('status' in still && still.status.vhids.map((v) => v.vhid)).toEqual([1, 2]);
  });

  it('answers a malformed request with an error naming the problem', async () => {
    const r = await request(sock, { cmd: 'demote', by: 1.5 } as never);
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
