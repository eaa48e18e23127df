import { Cap } from 'cap';

// Closed sessions stay referenced: cap stops but never closes its libuv poll handle, which lives inside the native
// object, so letting the garbage collector free one leaves a dangling handle in the event loop (seen as a rare
// SIGSEGV after a reopen). Reopens happen only on link flaps and reloads, so this costs little.
const closedSessions: Cap[] = [];

/** Captures IP protocol 112 on one interface (promiscuous, so multicast adverts arrive) and sends whole frames. */
export class PacketPort {
  private readonly cap = new Cap();
  private readonly buffer = Buffer.alloc(65_535);
  private closed = false;

  /**
   * `onLost` is called once if the device goes down or away under the capture (with the build/patch-cap.mjs patch
   * cap reports this instead of aborting the process); the port is closed by then.
   */
  constructor(
    readonly iface: string,
    onFrame: (frame: Uint8Array) => void,
    onLost?: (reason: string) => void,
  ) {
    const linkType = this.cap.open(iface, 'ip proto 112 or ip6 proto 112', 1 << 20, this.buffer);
    if (linkType !== 'ETHERNET') {
      this.close();
      throw new Error(`${iface}: link type ${linkType} is not Ethernet`);
    }
    this.cap.on('packet', (nbytes) => onFrame(new Uint8Array(this.buffer.subarray(0, nbytes))));
    this.cap.on('pollerror', (status) => {
      if (this.closed) return;
      this.close();
      onLost?.(`capture on ${iface} stopped (libuv status ${status}): the interface went down or away`);
    });
  }

  send(frame: Uint8Array): void {
    if (this.closed) throw new Error(`not capturing on ${this.iface}`);
    this.cap.send(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), frame.byteLength);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cap.close();
    closedSessions.push(this.cap);
  }
}
