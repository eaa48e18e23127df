// libpcap through the `cap` binding: open one interface with one of the fixed filters, hand each packet over.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { isStandalone, loadInstalledBinding } from './standalone.js';

interface CapHandle {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): unknown;
  /** From build/patch-cap.mjs: the device went down or away under the capture; polling has stopped. */
  on(event: 'pollerror', listener: (status: number) => void): unknown;
}

interface CapModule {
  Cap: new () => CapHandle;
}

/** pcap LINKTYPE_* numbers of the link types `cap` names. */
const LINK_TYPES: Record<string, number> = { NULL: 0, ETHERNET: 1, RAW: 101, LINUX_SLL: 113, IPV4: 228, IPV6: 229, LINUX_SLL2: 276 };

const SNAPLEN_BUFFER = 65_535;
const KERNEL_BUFFER = 4 << 20;

/** Loads the native binding; the error text when it cannot (not built for this Node/Electron, libpcap missing). */
export function loadCap(): CapModule | string {
  try {
    if (!isStandalone()) return createRequire(__filename)('cap') as CapModule;
    // what cap's own lib/Cap.js does around the binding
    const binding = loadInstalledBinding() as CapModule;
    Object.setPrototypeOf(binding.Cap.prototype, EventEmitter.prototype);
    return binding;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export class LiveCapture {
  private readonly handle: CapHandle;
  private readonly buffer = Buffer.alloc(SNAPLEN_BUFFER);
  readonly linkType: number;

  /** Throws libpcap's error (permission, no such device, device not up) or an unsupported link type name. */
  constructor(cap: CapModule, iface: string, filter: string, onPacket: (data: Uint8Array) => void, onLost: () => void) {
    this.handle = new cap.Cap();
    const name = this.handle.open(iface, filter, KERNEL_BUFFER, this.buffer);
    const linkType = LINK_TYPES[name];
    if (linkType === undefined) {
      this.handle.close();
      throw new UnsupportedLinkType(name);
    }
    this.linkType = linkType;
    this.handle.on('packet', (nbytes) => onPacket(this.buffer.subarray(0, nbytes)));
    this.handle.on('pollerror', onLost);
  }

  close(): void {
    this.handle.close();
  }
}

export class UnsupportedLinkType extends Error {
  constructor(readonly linkName: string) {
    super(`link type ${linkName} is not supported`);
  }
}
