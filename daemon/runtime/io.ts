import type { VhidConfig } from '../config/schema.js';
import type { InterfaceAddresses } from '../io/ip.js';

export interface Port {
  send(frame: Uint8Array): void;
  close(): void;
}

/** Everything carpd does to the host, so the runtime can be driven by a fake in tests. */
export interface DaemonIo {
  /** `onLost`: the capture stopped under us (device went down or away); the port is already closed. */
  openPort(iface: string, onFrame: (frame: Uint8Array) => void, onLost?: (reason: string) => void): Port;
  interfaceAddresses(iface: string, vips: Set<string>): Promise<InterfaceAddresses | undefined>;
  linkUp(iface: string): boolean;
  addVips(v: VhidConfig): Promise<void>;
  removeVips(v: VhidConfig): Promise<void>;
  removeStaleVips(v: VhidConfig): Promise<string[]>;
  neighbourMac(iface: string, address: string): Promise<string | undefined>;
  /** Makes the kernel resolve the peer's MAC (unicast mode). */
  pokeNeighbour(address: string): void;
  runHook(argv: string[], env: Record<string, string>, onError: (message: string) => void): void;
}
