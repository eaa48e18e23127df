// Node inventories for the pure tests: only what the checks read, with the rest at plain defaults.
import type { InterfaceFacts, NodeInventory } from '../../../../electron/core/pairing/preflight/facts.js';

export function inventory(interfaces: Record<string, string[]>, extra: Partial<NodeInventory> = {}): NodeInventory {
  const list: InterfaceFacts[] = Object.entries(interfaces).map(([name, addresses]) => ({ name, mac: '02:00:00:00:00:01', up: true, addresses, dynamic: [] }));
  return {
    hostname: 'fw',
    system: 'Linux',
    arch: 'x86_64',
    kernel: '6.1.0-18-amd64',
    os: 'Debian GNU/Linux 12 (bookworm)',
    glibc: '2.36',
    uid: 0,
    sudo: null,
    commands: { ip: '/usr/sbin/ip', nft: '/usr/sbin/nft', conntrackd: '/usr/sbin/conntrackd', tcpdump: '/usr/bin/tcpdump', python3: '/usr/bin/python3', timeout: '/usr/bin/timeout' },
    libpcap: 'libpcap.so.0.8',
    interfaces: list,
    defaultRoutes: [],
    neighbours: [],
    conntrackAcct: '1',
    carpdVersion: null,
    hostKey: null,
    carpd: null,
    ...extra,
  };
}
