// A live capture recorded in memory as pcapng (nanosecond timestamps, the interface's name) while the Discovery
// view asks for it, then fetched in chunks to save for Wireshark or open in the Diagnostics view. Bounded: it stops
// itself at `limitBytes` rather than grow without end on a busy segment.
import { PcapngWriter } from '../../../shared/capture/pcapng-writer.js';
import type { Frame } from '../../../shared/capture/types.js';

export type RecordingStop = 'user' | 'limit' | 'capture-ended';

export interface RecordingInfo {
  id: string;
  interface: string;
  active: boolean;
  frames: number;
  bytes: number;
  /** Epoch milliseconds when recording started. */
  started: number;
  /** Why it stopped (null while it runs). */
  stopped: RecordingStop | null;
  limitBytes: number;
}

export const RECORDING_LIMIT_BYTES = 64 * 1024 * 1024;

export class Recording {
  private writer: PcapngWriter | null = null;
  private buf = new Uint8Array(64 * 1024);
  private frames = 0;
  private bytes = 0;
  private stopped: RecordingStop | null = null;
  private readonly started = Date.now();

  constructor(
    readonly id: string,
    private readonly iface: string,
    private readonly limitBytes = RECORDING_LIMIT_BYTES,
  ) {}

  get active(): boolean {
    return this.stopped === null;
  }

  /** Appends one captured frame (its data is copied); a frame that would pass the limit stops the recording. */
  write(frame: Frame): void {
    if (this.stopped) return;
    const header = this.writer ? null : this.startWith(frame.linkType);
    const block = this.writer!.packet({ tsSec: frame.tsSec, tsNsec: frame.tsNsec, data: frame.data, origLen: frame.origLen });
    if (this.bytes + (header?.length ?? 0) + block.length > this.limitBytes) {
      this.stop('limit');
      return;
    }
    if (header) this.push(header);
    this.push(block);
    this.frames++;
  }

  stop(why: RecordingStop): void {
    this.stopped ??= why;
  }

  info(): RecordingInfo {
    return { id: this.id, interface: this.iface, active: this.active, frames: this.frames, bytes: this.bytes, started: this.started, stopped: this.stopped, limitBytes: this.limitBytes };
  }

  /** Up to `max` bytes of the pcapng file from `offset` (what is recorded so far). */
  read(offset: number, max: number): Uint8Array {
    return this.buf.subarray(Math.min(offset, this.bytes), Math.min(offset + max, this.bytes));
  }

  private startWith(linkType: number): Uint8Array {
    this.writer = new PcapngWriter({ interfaces: [{ linkType, tsresol: 9, name: this.iface }] });
    return this.writer.header();
  }

  private push(b: Uint8Array): void {
    if (this.bytes + b.length > this.buf.length) {
      const grown = new Uint8Array(Math.min(this.limitBytes, Math.max(this.buf.length * 2, this.bytes + b.length)));
      grown.set(this.buf.subarray(0, this.bytes));
      this.buf = grown;
    }
    this.buf.set(b, this.bytes);
    this.bytes += b.length;
  }
}
