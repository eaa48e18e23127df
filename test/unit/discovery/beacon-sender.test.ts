import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { beaconSchema } from '../../../daemon/beacon/config.js';
import type { BeaconIo, BeaconSocket } from '../../../daemon/beacon/io.js';
import { BeaconSender, type BeaconVhid } from '../../../daemon/beacon/sender.js';
import { formatBeacon } from '../../../daemon/beacon/status.js';
import { CARPD_VERSION } from '../../../daemon/beacon/version.js';
import { configSchema } from '../../../daemon/config/schema.js';
import { decodeBeacon, verifyBeacon } from '../../../shared/discovery/beacon.js';

function fakeIo(addresses: Record<string, string | null>, linkLocal: Record<string, string | null> = {}) {
  const sent: { address: string; data: Uint8Array }[] = [];
  const opened: string[] = [];
  const io: BeaconIo = {
    addressOf: (iface, family) => (family === 4 ? addresses[iface] : linkLocal[iface]) ?? null,
    open: (_iface, _family, address) => {
      opened.push(address);
      const socket: BeaconSocket = {
        send: (data, done) => {
          sent.push({ address, data });
          done(null);
        },
        close: () => undefined,
      };
      return Promise.resolve(socket);
    },
  };
  return { io, sent, opened };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('carpd beacon sender', () => {
  it('sends one signed beacon per vhid interface with this node\'s role in each vhid there', async () => {
    const { io, sent } = fakeIo({ lan: '10.0.1.2', wan: '192.0.2.2' });
    const vhids: BeaconVhid[] = [
      { vhid: 1, interface: 'lan', state: 'BACKUP', password: 'pw1' },
      { vhid: 2, interface: 'lan', state: 'MASTER', password: '' },
      { vhid: 1, interface: 'wan', state: 'INIT', password: 'pw3' },
    ];
    const s = new BeaconSender({ enabled: true, ipv6: false, sshPort: 2222, managementAddress: '192.168.77.2' }, { node: 'fw2', vhids: () => vhids, io, warn: () => undefined });
    s.sendAll();
    await flush();
    expect(sent.map((x) => x.address)).toEqual(['10.0.1.2', '192.0.2.2']);
    const lan = decodeBeacon(sent[0].data);
    if (!lan.ok) throw new Error(lan.error.message);
    expect(lan.value.beacon).toMatchObject({ name: 'fw2', version: CARPD_VERSION, sshPort: 2222, managementAddress: '192.168.77.2', vhids: [{ vhid: 1, role: 'backup' }, { vhid: 2, role: 'master' }] });
    expect(verifyBeacon(lan.value, [{ vhid: 1, password: 'pw1' }])).toBe(true);
    expect(lan.value.tags.map((t) => t.vhid)).toEqual([1]);
    const wan = decodeBeacon(sent[1].data);
    expect(wan.ok && wan.value.beacon.vhids).toEqual([{ vhid: 1, role: 'init' }]);
    expect(s.status()).toMatchObject({ enabled: true, sent: 2, sshPort: 2222, interfaces: [{ interface: 'lan', address: '10.0.1.2' }, { interface: 'wan', address: '192.0.2.2' }] });
  });

  it('sends again right after a state change, with the new role', async () => {
    const { io, sent } = fakeIo({ lan: '10.0.1.2' });
    const vhids: BeaconVhid[] = [{ vhid: 1, interface: 'lan', state: 'BACKUP', password: '' }];
    const s = new BeaconSender(undefined, { node: 'fw2', vhids: () => vhids, io, warn: () => undefined });
    s.sendAll();
    vhids[0].state = 'MASTER';
    s.stateChanged();
    await flush();
    await flush();
    const roles = sent.map((x) => {
      const r = decodeBeacon(x.data);
      return r.ok ? r.value.beacon.vhids[0].role : r.error.code;
    });
    expect(roles).toEqual(['backup', 'master']);
    s.stop();
  });

  it('sends nothing when disabled, and says so in status', async () => {
    const { io, sent, opened } = fakeIo({ lan: '10.0.1.2' });
    const s = new BeaconSender({ enabled: false, ipv6: true, sshPort: 22 }, { node: 'fw1', vhids: () => [{ vhid: 1, interface: 'lan', state: 'MASTER', password: '' }], io, warn: () => undefined });
    s.start();
    s.stateChanged();
    await flush();
    expect(sent).toEqual([]);
    expect(opened).toEqual([]);
    expect(formatBeacon(s.status())).toMatch(/^beacon: off/);
  });

  it('skips an interface without an IPv4 address and reports a socket that cannot open once, without throwing', async () => {
    const warnings: string[] = [];
    const io: BeaconIo = { addressOf: (i, family) => (i === 'lan' && family === 4 ? '10.0.1.2' : null), open: () => Promise.reject(new Error('EADDRNOTAVAIL')) };
    const s = new BeaconSender(undefined, { node: 'fw1', vhids: () => [{ vhid: 1, interface: 'lan', state: 'MASTER', password: '' }, { vhid: 2, interface: 'dmz', state: 'MASTER', password: '' }], io, warn: (m) => warnings.push(m) });
    s.sendAll();
    await flush();
    s.sendAll();
    await flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/beacon on lan \(IPv4\): EADDRNOTAVAIL/);
    const st = s.status();
    expect(st.sent).toBe(0);
    expect(st.interfaces).toContainEqual({ interface: 'dmz', address: null, address6: null });
    expect(formatBeacon(st)).toMatch(/dmz \(no IPv4 or IPv6 link-local address, not sent\).*last error: beacon on lan \(IPv4\): EADDRNOTAVAIL/);
  });

  it('sends the same beacon over IPv6 from the link-local address, also on an interface with no IPv4 address', async () => {
    const { io, sent } = fakeIo({ lan: '10.0.1.2', v6only: null }, { lan: 'fe80::2', v6only: 'fe80::12' });
    const vhids: BeaconVhid[] = [
      { vhid: 1, interface: 'lan', state: 'BACKUP', password: 'pw1' },
      { vhid: 6, interface: 'v6only', state: 'BACKUP', password: 'pw6' },
    ];
    const s = new BeaconSender(undefined, { node: 'fw2', vhids: () => vhids, io, warn: () => undefined });
    s.sendAll();
    await flush();
    expect(sent.map((x) => x.address)).toEqual(['10.0.1.2', 'fe80::2', 'fe80::12']);
    expect(sent[1].data).toEqual(sent[0].data);
    const v6 = decodeBeacon(sent[2].data);
    if (!v6.ok) throw new Error(v6.error.message);
    expect(v6.value.beacon.vhids).toEqual([{ vhid: 6, role: 'backup' }]);
    expect(verifyBeacon(v6.value, [{ vhid: 6, password: 'pw6' }])).toBe(true);
    const st = s.status();
    expect(st.interfaces).toEqual([
      { interface: 'lan', address: '10.0.1.2', address6: 'fe80::2' },
      { interface: 'v6only', address: null, address6: 'fe80::12' },
    ]);
    expect(formatBeacon(st)).toMatch(/to 239\.255\.67\.68:6768 and \[ff02::4344:424b\]:6768 on lan from 10\.0\.1\.2 and fe80::2, v6only from fe80::12;/);
  });

  it('sends only over IPv4 with "ipv6": false', async () => {
    const { io, sent } = fakeIo({ lan: '10.0.1.2', v6only: null }, { lan: 'fe80::2', v6only: 'fe80::12' });
    const vhids: BeaconVhid[] = [
      { vhid: 1, interface: 'lan', state: 'BACKUP', password: '' },
      { vhid: 6, interface: 'v6only', state: 'BACKUP', password: '' },
    ];
    const s = new BeaconSender(beaconSchema.parse({ ipv6: false }), { node: 'fw2', vhids: () => vhids, io, warn: () => undefined });
    s.sendAll();
    await flush();
    expect(sent.map((x) => x.address)).toEqual(['10.0.1.2']);
    expect(s.status().group6).toBeNull();
    expect(formatBeacon(s.status())).toMatch(/to 239\.255\.67\.68:6768 on lan from 10\.0\.1\.2, v6only \(no IPv4 address, not sent\)/);
  });
});

describe('carpd beacon config', () => {
  it('defaults to on with SSH port 22 and rejects a bad port or address with the field named', () => {
    expect(beaconSchema.parse({})).toEqual({ enabled: true, ipv6: true, sshPort: 22 });
    expect(beaconSchema.parse({ enabled: true, sshPort: 2222 })).toEqual({ enabled: true, ipv6: true, sshPort: 2222 });
    const base = { node: 'fw1', vhids: [{ vhid: 1, interface: 'lan', vips: ['10.0.1.1/24'] }] };
    expect(configSchema.safeParse(base).success).toBe(true);
    const bad = configSchema.safeParse({ ...base, beacon: { sshPort: 70000, managementAddress: 'fw1.example' } });
    expect(bad.success).toBe(false);
    const issues = bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues).toContain('beacon.sshPort: must be 1..65535, got 70000');
    expect(issues).toContain('beacon.managementAddress: must be an IPv4 or IPv6 address without prefix, got "fw1.example"');
    expect(configSchema.safeParse({ ...base, beacon: { port: 1 } }).success).toBe(false);
    const v6 = configSchema.safeParse({ ...base, beacon: { ipv6: 'yes' } });
    expect(v6.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['beacon.ipv6: must be true or false, got "yes"']);
  });

  it('announces the version package.json carries', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(CARPD_VERSION).toBe(pkg.version);
  });
});
