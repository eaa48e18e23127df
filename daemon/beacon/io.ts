// The beacon's sockets: plain UDP, one per interface, bound to the interface's IPv4 address and sending multicast
// out of it (IP_MULTICAST_IF) with TTL 1. No libpcap and no raw sockets: any process may send this.
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { BEACON_GROUP, BEACON_PORT } from '../../shared/discovery/beacon.js';

export interface BeaconSocket {
  send(data: Uint8Array, done: (err: Error | null) => void): void;
  close(): void;
}

export interface BeaconIo {
  /** The interface's first IPv4 address (its own, not a VIP: VIPs are added after it), or null. */
  addressOf(iface: string): string | null;
  open(address: string, onError: (e: Error) => void): Promise<BeaconSocket>;
}

export const realBeaconIo: BeaconIo = {
  addressOf(iface) {
    return networkInterfaces()[iface]?.find((a) => a.family === 'IPv4' && !a.internal)?.address ?? null;
  },
  open(address, onError) {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: 'udp4', reuseAddr: true });
      socket.once('error', reject);
      socket.bind({ address, port: 0 }, () => {
        socket.off('error', reject);
        socket.on('error', onError);
        try {
          socket.setMulticastInterface(address);
          socket.setMulticastTTL(1);
          socket.setMulticastLoopback(false);
        } catch (e) {
          socket.close();
          reject(e as Error);
          return;
        }
        resolve({
          send: (data, done) => socket.send(data, BEACON_PORT, BEACON_GROUP, (err) => done(err ?? null)),
          close: () => socket.close(),
        });
      });
    });
  },
};
