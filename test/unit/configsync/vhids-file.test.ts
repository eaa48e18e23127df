import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../daemon/config/load.js';
import type { Overrides } from '../../../daemon/configsync/config.js';
import { generalize, specialize } from '../../../daemon/configsync/overrides.js';
import { PRESETS } from '../../../daemon/configsync/presets.js';
import { request } from '../../../daemon/control/client.js';
import { startControlServer, type ControlServer } from '../../../daemon/control/server.js';
import { EventLog } from '../../../daemon/events/log.js';
import { Carpd } from '../../../daemon/runtime/daemon.js';
import type { DaemonIo } from '../../../daemon/runtime/io.js';

const vhid = (n: number, advskew = 0) => ({ vhid: n, interface: 'lan', advskew, password: 'secret', vips: [`10.0.1.${n}/24`] });

describe('carpd vhidsFile (the file the config sync "vips" section carries)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'carpd-vhids-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, data: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
    return file;
  };
  const failure = (file: string) => {
    const r = loadConfigFile(file);
    if (r.ok) throw new Error('expected a config error');
    return r.error;
  };

  it('takes the vhids from the file, resolved relative to the config file, with the schema defaults', () => {
    write('vips.json', { vhids: [vhid(1, 20), { vhid: 2, interface: 'wan', password: 'x', vips: ['192.0.2.1/24'] }] });
    const r = loadConfigFile(write('carpd.json', { node: 'fw1', vhidsFile: 'vips.json' }));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.config.vhids.map((v) => [v.vhid, v.interface, v.advskew, v.advbase, v.mode])).toEqual([
      [1, 'lan', 20, 1, 'multicast'],
      [2, 'wan', 0, 1, 'multicast'],
    ]);
  });

  it('names the vhids file and the field path for a bad value in it', () => {
    const vips = write('vips.json', { vhids: [vhid(1, 300)] });
    const e = failure(write('carpd.json', { node: 'fw1', vhidsFile: vips }));
    expect(e.code).toBe('config-invalid');
    expect(e.where).toBe(`${vips}: vhids[0].advskew`);
    expect(e.message).toContain(`${vips}: invalid vhids file`);
    expect(e.message).toContain('vhids[0].advskew: must be 0..254, got 300');
  });

  it('rejects a duplicate vhid, an unknown field and an empty list in the vhids file', () => {
    const carpd = write('carpd.json', { node: 'fw1', vhidsFile: 'vips.json' });
    write('vips.json', { vhids: [vhid(1), { ...vhid(1), vips: ['10.0.1.9/24'] }] });
    expect(failure(carpd).message).toContain('vhids[1].vhid: vhid 1 on lan is already configured in vhids[0]');
    write('vips.json', { vhids: [vhid(1)], trackInterfaces: [] });
    expect(failure(carpd).message).toContain('(top level): unknown field "trackInterfaces"');
    write('vips.json', { vhids: [] });
    expect(failure(carpd).message).toContain('vhids: must configure at least one vhid');
  });

  it('gives line and column for malformed JSON in the vhids file', () => {
    const vips = write('vips.json', '{\n  "vhids": [],\n}\n');
    const e = failure(write('carpd.json', { node: 'fw1', vhidsFile: vips }));
    expect(e.code).toBe('config-json');
    expect(e.where).toBe(`${vips}:3:1`);
  });

  it('says which file is missing when the vhids file cannot be read', () => {
    const e = failure(write('carpd.json', { node: 'fw1', vhidsFile: 'nope.json' }));
    expect(e.code).toBe('config-unreadable');
    expect(e.message).toContain(`cannot read the vhids file ${join(dir, 'nope.json')} (ENOENT)`);
  });

  it('refuses vhids in both places and a config with neither', () => {
    write('vips.json', { vhids: [vhid(1)] });
    expect(failure(write('a.json', { node: 'fw1', vhidsFile: 'vips.json', vhids: [vhid(2)] })).message).toContain('vhidsFile: cannot be used together with "vhids"');
    expect(failure(write('b.json', { node: 'fw1' })).message).toContain('vhids: must configure at least one vhid (or name a file holding them in "vhidsFile")');
  });

  it('a vips.json carried by the "vips" preset loads on the receiver with its own interface and advskew', () => {
    const path = PRESETS.vips.files[0];
    const own = (lan: string, advskew: number): Overrides => ({ interfaces: { lan }, values: {}, jsonOverlay: { [path]: { '/vhids/0/advskew': advskew } } });
    const onSource = JSON.stringify({ vhids: [{ vhid: 7, interface: 'enp3s0', advbase: 2, advskew: 0, password: 'secret', vips: ['10.0.1.1/24'] }] });
    const generic = generalize(path, onSource, own('enp3s0', 0));
    if (!generic.ok) throw new Error(generic.error.message);
    const onReceiver = specialize(path, generic.value, own('eth1', 100));
    if (!onReceiver.ok) throw new Error(onReceiver.error.message);
    write('vips.json', onReceiver.value);
    const r = loadConfigFile(write('carpd.json', { node: 'fw2', vhidsFile: 'vips.json' }));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.config.vhids).toMatchObject([{ vhid: 7, interface: 'eth1', advbase: 2, advskew: 100, vips: ['10.0.1.1/24'] }]);
  });

  it('names the vhids file in password warnings', () => {
    const vips = write('vips.json', { vhids: [{ ...vhid(1), password: '' }] });
    const r = loadConfigFile(write('carpd.json', { node: 'fw1', vhidsFile: vips }));
    expect(r.ok && r.warnings).toEqual([`${vips}: vhids[0].password: empty; any host on the segment can take over vhid 1`]);
  });
});

describe('carpctl reload with a vhidsFile', () => {
  let dir: string;
  let daemon: Carpd;
  let server: ControlServer;
  let sock: string;
  let vips: string;
  const vipOps: string[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'carpd-vhids-reload-'));
    sock = join(dir, 'carpd.sock');
    vips = join(dir, 'vips.json');
    writeFileSync(vips, JSON.stringify({ vhids: [vhid(1, 100), vhid(2, 100)] }));
    const configFile = join(dir, 'carpd.json');
    writeFileSync(configFile, JSON.stringify({ node: 'fw1', stateDir: join(dir, 'state'), controlSocket: sock, vhidsFile: 'vips.json' }));
    const loaded = loadConfigFile(configFile);
    if (!loaded.ok) throw new Error(loaded.error.message);
    vipOps.length = 0;
    const io: DaemonIo = {
      openPort: () => ({ send: () => {}, close: () => {} }),
      interfaceAddresses: async () => ({ mac: '02:00:00:00:00:01', addresses: ['10.0.1.2'], ipv4: '10.0.1.2' }),
      linkUp: () => true,
      addVips: async (v) => void vipOps.push(`add ${v.vhid}`),
      removeVips: async (v) => void vipOps.push(`remove ${v.vhid}`),
      removeStaleVips: async () => [],
      neighbourMac: async () => undefined,
      pokeNeighbour: () => {},
      runHook: () => {},
    };
    const silent = { info: () => {}, warn: () => {}, event: () => {} };
    daemon = new Carpd(loaded.config, configFile, io, new EventLog(dir, 'fw1', 1000), silent);
    await daemon.start();
    server = await startControlServer(sock, daemon);
  });

  afterEach(async () => {
    await daemon.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const statusVhids = async () => {
    const r = await request(sock, { cmd: 'status' });
    if (!('status' in r)) throw new Error('no status');
    return r.status.vhids.map((v) => [v.vhid, v.advskew]);
  };

  it('re-reads the vhids file: changed vhids restart, unchanged ones are not touched, added ones appear', async () => {
    expect(await statusVhids()).toEqual([[1, 100], [2, 100]]);
    writeFileSync(vips, JSON.stringify({ vhids: [vhid(1, 100), vhid(2, 50), vhid(3, 10)] }));
    const r = await request(sock, { cmd: 'reload' });
    expect(r).toMatchObject({ ok: true, message: 'reloaded: added 3@lan; restarted 2@lan' });
    expect(await statusVhids()).toEqual([[1, 100], [2, 50], [3, 10]]);
  });

  it('leaves the running vhids as they are when the vhids file became invalid', async () => {
    writeFileSync(vips, JSON.stringify({ vhids: [vhid(1, 999)] }));
    const r = await request(sock, { cmd: 'reload' });
    expect(r).toMatchObject({ ok: false, error: { code: 'config-invalid' } });
    expect('error' in r && r.error.message).toContain('vhids[0].advskew: must be 0..254, got 999\nnothing was changed');
    expect(await statusVhids()).toEqual([[1, 100], [2, 100]]);
  });
});
