import { Cap } from 'cap';
import { realHost } from '../deps.js';
import type { NudgeIo } from './nudge.js';

/**
 * libpcap sizes its ring slots for 64 KiB packets on an interface with segmentation offloads (veth has them), so 1 MiB
 * held a handful of frames: in the 1,000-flow benchmark on a loaded host only 350-691 of 2,100 answers were read. With
 * 8 MiB, the answer filter and batched probes, 2,081-2,100 were.
 */
const CAPTURE_BUFFER_BYTES = 8 << 20;

/** The nudge's host: commands through realHost, frames through libpcap. */
export const capNudgeIo: NudgeIo = {
  exec: realHost.exec,
  open(iface, filter, onFrame) {
    const cap = new Cap();
    const buffer = Buffer.alloc(65_535);
    cap.open(iface, filter, CAPTURE_BUFFER_BYTES, buffer);
    cap.on('packet', (n) => onFrame(new Uint8Array(buffer.subarray(0, n))));
    return {
      send: (frame) => cap.send(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), frame.byteLength),
      close: () => cap.close(),
    };
  },
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};
