import { describe, expect, it } from 'vitest';
import { conntrackAcctCheck, interfacesCheck, osCheck, packagesCheck, privilegeCheck, toolsCheck } from '../../../../electron/core/pairing/preflight/node-checks.js';
import { inventory } from './inventory.js';

const bundle = { arch: 'x86_64', glibc: '2.28' };

describe('preflight node checks', () => {
  it('passes Debian 12 on x86_64 and fails other systems, architectures and old glibc with a fix', () => {
    expect(osCheck('primary', inventory({}), bundle)).toMatchObject({ status: 'pass', detail: 'Debian GNU/Linux 12 (bookworm) (Linux 6.1.0-18-amd64, x86_64, glibc 2.36)' });
    expect(osCheck('primary', inventory({}, { system: 'FreeBSD' }), bundle)).toMatchObject({ status: 'fail', detail: expect.stringContaining('carpd runs on Linux only') });
    expect(osCheck('primary', inventory({}, { arch: 'armv7l' }), bundle)).toMatchObject({ status: 'fail', fix: 'use an x86_64 or aarch64 machine for the firewall' });
    expect(osCheck('primary', inventory({}, { arch: 'aarch64' }), bundle)).toMatchObject({ status: 'fail', detail: expect.stringContaining('built for x86_64') });
    expect(osCheck('primary', inventory({}, { glibc: '2.24' }), bundle)).toMatchObject({ status: 'fail', detail: expect.stringContaining('needs glibc 2.28 or newer') });
    expect(osCheck('primary', inventory({}, { glibc: null }), bundle)).toMatchObject({ status: 'fail', detail: expect.stringContaining('no glibc (musl?)') });
  });

  it('accepts root or password-less sudo and explains how to get there otherwise', () => {
    expect(privilegeCheck('primary', inventory({}), 'root').status).toBe('pass');
    expect(privilegeCheck('primary', inventory({}, { uid: 1000, sudo: true }), 'admin').status).toBe('pass');
    expect(privilegeCheck('primary', inventory({}, { uid: 1000, sudo: false }), 'admin')).toMatchObject({ status: 'fail', fix: expect.stringContaining('admin ALL=(ALL) NOPASSWD: ALL') });
  });

  it('fails missing packages with the apt-get remedy for exactly those', () => {
    const inv = inventory({}, { commands: { ip: '/usr/sbin/ip', tcpdump: '/usr/bin/tcpdump', python3: '/usr/bin/python3', timeout: '/usr/bin/timeout' }, libpcap: null });
    expect(packagesCheck('secondary', inv)).toMatchObject({
      status: 'fail',
      detail: 'missing: nft (nftables), conntrackd and libpcap (found ip (iproute2))',
      fix: 'install nftables, conntrackd and libpcap0.8 on the node: apt-get install nftables conntrackd libpcap0.8 (Debian/Ubuntu), or the same packages with its package manager',
      remedy: { id: 'apt-install:nftables,conntrackd,libpcap0.8' },
    });
    expect(packagesCheck('secondary', inventory({})).remedy).toBeUndefined();
  });

  it('warns when the network-test tools are missing, with their install remedy', () => {
    expect(toolsCheck('primary', inventory({}, { commands: { ip: '/usr/sbin/ip', timeout: '/usr/bin/timeout' } }))).toMatchObject({ status: 'warn', remedy: { id: 'apt-install:tcpdump,python3-minimal' } });
  });

  it('fails a node without IPv4 addresses and warns about an addressed interface without link', () => {
    expect(interfacesCheck('primary', inventory({ eth0: [] })).status).toBe('fail');
    const inv = inventory({ eth0: ['10.0.1.2/24'] });
    inv.interfaces[0].up = false;
    expect(interfacesCheck('primary', inv)).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^eth0 has an address but no link/) });
  });

  it('warns when conntrack accounting is off, offering the remedy only when nf_conntrack is loaded', () => {
    expect(conntrackAcctCheck('primary', inventory({})).status).toBe('pass');
    expect(conntrackAcctCheck('primary', inventory({}, { conntrackAcct: '0' }))).toMatchObject({ status: 'warn', remedy: { id: 'conntrack-acct' } });
    expect(conntrackAcctCheck('primary', inventory({}, { conntrackAcct: null })).remedy).toBeUndefined();
  });
});
