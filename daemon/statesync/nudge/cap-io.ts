import { Cap } from 'cap';
import { realHost } from '../deps.js';
import type { NudgeIo } from './nudge.js';

/** The nudge's host: commands through realHost, frames through libpcap. */
export const capNudgeIo: NudgeIo = {
  exec: realHost.exec,
  open(iface, onFrame) {
    const cap = new Cap();
    const buffer = Buffer.alloc(65_535);
    cap.open(iface, 'tcp', 1 << 20, buffer);
    cap.on('packet', (n) => onFrame(new Uint8Array(buffer.subarray(0, n))));
    return {
      send: (frame) => cap.send(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), frame.byteLength),
      close: () => cap.close(),
    };
  },
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};
