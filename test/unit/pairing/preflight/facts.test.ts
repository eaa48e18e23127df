import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCarpdVips, parseInventory } from '../../../../electron/core/pairing/preflight/facts.js';

// What the inventory script printed on a lab node (Debian 12, root).
const labNode = readFileSync(join(import.meta.dirname, 'fixtures', 'inventory-lab-fw1.txt'), 'utf8');

describe('preflight node inventory', () => {
  it('parses the inventory script\'s sections from a real node', () => {
    const inv = parseInventory(labNode);
    expect(inv).toMatchObject({ hostname: 'fw1', system: 'Linux', arch: 'x86_64', os: 'Debian GNU/Linux 12 (bookworm)', glibc: '2.36', uid: 0, sudo: null, libpcap: 'libpcap.so.0.8', conntrackAcct: '0', carpdVersion: null, defaultRoutes: [] });
    expect(Object.keys(inv.commands).sort()).toEqual(['apt-get', 'conntrackd', 'ip', 'nft', 'python3', 'tcpdump', 'timeout']);
    expect(inv.interfaces.map((i) => [i.name, i.up, i.addresses])).toEqual([
      ['lan', true, ['10.0.1.2/24']],
      ['wan', true, ['198.51.100.2/24']],
      ['sync', true, ['10.0.2.2/24']],
      ['mgmt', true, ['100.64.200.11/24']],
    ]);
    expect(inv.neighbours).toEqual([{ address: '100.64.200.1', dev: 'mgmt' }]);
    expect(inv.hostKey).toMatch(/^ssh-ed25519 AAAA/);
  });

  it('reads a non-root login with sudo, a DHCP address, a default route, an installed carpd and missing pieces', () => {
    const text = [
      '@@uname', 'Linux', 'aarch64', '6.1.0', '@@hostname', 'edge-b', '@@os', '@@glibc', '@@uid', '1000', '@@sudo', 'yes',
      '@@commands', 'ip /usr/sbin/ip', '@@libpcap', '@@addr', 'Error: something',
      '[{"ifname":"eth0","flags":["UP","LOWER_UP"],"link_type":"ether","address":"52:54:00:AA:BB:CC","addr_info":[{"family":"inet","local":"198.51.100.7","prefixlen":24,"scope":"global","dynamic":true},{"family":"inet6","local":"fe80::1","prefixlen":64,"scope":"link"}]}]',
      '@@route',
      '[{"dst":"default","gateway":"198.51.100.1","dev":"eth0","flags":[]}]', '[]',
      '@@neigh', '[{"dst":"10.0.1.9","dev":"eth1","state":["FAILED"]},{"dst":"10.0.1.7","dev":"eth1","lladdr":"02:00:00:00:00:07","state":["REACHABLE"]}]',
      '@@acct', '@@carpd', '/opt/carpd/0.4.0-1a2b3c4d5e6f', '@@hostkey', '@@end', '',
    ].join('\n');
    expect(parseInventory(text)).toMatchObject({
      hostname: 'edge-b', arch: 'aarch64', os: 'Linux', glibc: null, uid: 1000, sudo: true, commands: { ip: '/usr/sbin/ip' }, libpcap: null,
      interfaces: [{ name: 'eth0', mac: '52:54:00:aa:bb:cc', up: true, addresses: ['198.51.100.7/24'], dynamic: ['198.51.100.7/24'] }], defaultRoutes: ['eth0'], neighbours: [{ address: '10.0.1.7', dev: 'eth1' }], conntrackAcct: null, carpdVersion: '0.4.0-1a2b3c4d5e6f', hostKey: null,
    });
  });

  it('reads the vhid groups carpd runs now from the pairing\'s vips.json, leaving the passwords out of the inventory', () => {
    const config = JSON.stringify({ node: 'fw1', vhidsFile: 'vips.json' }, null, 2);
    const vips = JSON.stringify({ vhids: [{ vhid: 1, interface: 'lan', advbase: 2, advskew: 0, password: 'Secret0123456789', vips: ['10.0.1.1/24', '2001:db8:1::1/64'] }] }, null, 2);
    const inv = parseInventory(['@@hostname', 'fw1', '@@carpdjson', config, '@@vipsjson', vips, '@@end', ''].join('\n'));
    expect(inv.carpd).toEqual({ vhids: [{ vhid: 1, interface: 'lan', advbase: 2, vips: ['10.0.1.1/24', '2001:db8:1::1/64'] }] });
    expect(JSON.stringify(inv)).not.toContain('Secret0123456789');
    expect(parseCarpdVips(config, vips)).toEqual([{ vhid: 1, interface: 'lan', advbase: 2, password: 'Secret0123456789', vips: ['10.0.1.1/24', '2001:db8:1::1/64'] }]);
    expect(parseInventory('@@hostname\nfw1\n@@carpdjson\n@@vipsjson\n@@end\n').carpd).toBeNull();
  });

  it('takes inline vhids with carpd\'s defaults, skips malformed groups, and does not guess a vhidsFile it did not read', () => {
    const inline = JSON.stringify({ node: 'fw1', vhids: [{ vhid: 7, interface: 'eth1', vips: ['10.0.7.1/24'] }, { vhid: 300, interface: 'eth1', vips: [] }, { interface: 'eth2' }] });
    expect(parseCarpdVips(inline, undefined)).toEqual([{ vhid: 7, interface: 'eth1', advbase: 1, password: '', vips: ['10.0.7.1/24'] }]);
    expect(parseCarpdVips(JSON.stringify({ node: 'fw1', vhidsFile: '/srv/other.json' }), '{"vhids": []}')).toBeNull();
    expect(parseCarpdVips('not json', undefined)).toBeNull();
  });
});
