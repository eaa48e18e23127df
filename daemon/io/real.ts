import { createSocket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import type { DaemonIo } from '../runtime/io.js';
import { runHook } from './hooks.js';
import { addVips, interfaceAddresses, neighbourMac, removeStaleVips, removeVips } from './ip.js';
import { linkUp } from './link.js';
import { PacketPort } from './packets.js';

export const realIo: DaemonIo = {
  openPort: (iface, onFrame, onLost) => new PacketPort(iface, onFrame, onLost),
  interfaceAddresses,
  linkUp,
  addVips,
  removeVips,
  removeStaleVips,
  neighbourMac,
  pokeNeighbour(address) {
    // A datagram to the discard port makes the kernel resolve the neighbour; nothing listens there.
    const sock = createSocket(isIPv4(address) ? 'udp4' : 'udp6');
    sock.send(Buffer.alloc(0), 9, address, () => sock.close());
  },
  runHook,
};
