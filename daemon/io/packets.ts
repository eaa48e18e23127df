import { Cap } from 'cap';

/** Captures IP protocol 112 on one interface (promiscuous, so multicast adverts arrive) and sends whole frames. */
export class PacketPort {
  private readonly cap = new Cap();
  private readonly buffer = Buffer.alloc(65_535);

  constructor(
    readonly iface: string,
    onFrame: (frame: Uint8Array) => void,
  ) {
    const linkType = this.cap.open(iface, 'ip proto 112 or ip6 proto 112', 1 << 20, this.buffer);
    if (linkType !== 'ETHERNET') {
      this.cap.close();
      throw new Error(`${iface}: link type ${linkType} is not Ethernet`);
    }
    this.cap.on('packet', (nbytes) => onFrame(new Uint8Array(this.buffer.subarray(0, nbytes))));
  }

  send(frame: Uint8Array): void {
    this.cap.send(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), frame.byteLength);
  }

  close(): void {
    this.cap.close();
  }
}
