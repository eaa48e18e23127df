// Saves a live capture as pcapng (nanosecond timestamps, the interface's name), for Wireshark and the
// Diagnostics view. The header goes out with the first frame, when the link type is known.
import { createWriteStream, type WriteStream } from 'node:fs';
import { PcapngWriter } from '../../../shared/capture/pcapng-writer.js';
import type { Frame } from '../../../shared/capture/types.js';

export class CaptureRecorder {
  private writer: PcapngWriter | null = null;
  private error: Error | null = null;
  frames = 0;

  private constructor(
    private readonly out: WriteStream,
    private readonly iface: string,
  ) {
    out.on('error', (err) => (this.error ??= err));
  }

  /** Opens `file` for writing; rejects with the reason (no such directory, permission) before any capture starts. */
  static open(file: string, iface: string): Promise<CaptureRecorder> {
    return new Promise((resolve, reject) => {
      const out = createWriteStream(file, { flags: 'w' });
      out.once('open', () => resolve(new CaptureRecorder(out, iface)));
      out.once('error', reject);
    });
  }

  write(frame: Frame): void {
    if (this.error) return;
    if (!this.writer) {
      this.writer = new PcapngWriter({ interfaces: [{ linkType: frame.linkType, tsresol: 9, name: this.iface }] });
      this.out.write(this.writer.header());
    }
    this.out.write(this.writer.packet({ tsSec: frame.tsSec, tsNsec: frame.tsNsec, data: frame.data, origLen: frame.origLen }));
    this.frames++;
  }

  /** Flushes and closes the file; resolves with the write error, if one happened. */
  close(): Promise<Error | null> {
    return new Promise((resolve) => this.out.end(() => resolve(this.error)));
  }
}
