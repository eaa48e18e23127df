// The beacon's sockets: plain UDP, one per interface and address family, sending multicast out of that interface
// with TTL / hop limit 1. IPv4 binds the interface's own first IPv4 address (IP_MULTICAST_IF); IPv6 binds its
// link-local address and sends to a link-local-scoped group (IPV6_MULTICAST_IF by the interface's zone). No
// libpcap and no raw sockets: any process may send this.
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { BEACON_GROUP, BEACON_GROUP6, BEACON_PORT } from '../../shared/discovery/beacon.js';

export type BeaconFamily = 4 | 6;

export interface BeaconSocket {
  send(data: Uint8Array, done: (err: Error | null) => void): void;
  close(): void;
}

export interface BeaconIo {
  /**
   * The address to send from: for 4 the interface's first IPv4 address (its own, not a VIP: VIPs are added after
   * it), for 6 its IPv6 link-local address (VIPs are never link-local); null when it has none.
   */
  addressOf(iface: string, family: BeaconFamily): string | null;
  open(iface: string, family: BeaconFamily, address: string, onError: (e: Error) => void): Promise<BeaconSocket>;
}

export const realBeaconIo: BeaconIo = {
  addressOf(iface, family) {
    const list = networkInterfaces()[iface] ?? [];
    const found = family === 4 ? list.find((a) => a.family === 'IPv4' && !a.internal) : list.find((a) => a.family === 'IPv6' && !a.internal && a.address.toLowerCase().startsWith('fe80:'));
    return found?.address ?? null;
  },
  open(iface, family, address, onError) {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: family === 4 ? 'udp4' : 'udp6', reuseAddr: true });
      const bindTo = family === 4 ? address : `${address}%${iface}`;
      const group = family === 4 ? BEACON_GROUP : `${BEACON_GROUP6}%${iface}`;
      socket.once('error', reject);
      socket.bind({ address: bindTo, port: 0 }, () => {
        socket.off('error', reject);
        socket.on('error', onError);
        try {
          socket.setMulticastInterface(family === 4 ? address : `::%${iface}`);
          socket.setMulticastTTL(1);
          socket.setMulticastLoopback(false);
        } catch (e) {
          socket.close();
          reject(e as Error);
          return;
        }
        resolve({
          send: (data, done) => socket.send(data, BEACON_PORT, group, (err) => done(err ?? null)),
          close: () => socket.close(),
        });
      });
    });
  },
};
