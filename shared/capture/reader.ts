/**
 * Streaming pcap / pcapng reader. Feed bytes with push(), take frames with next(); only the unread tail of the
 * input is buffered, so a capture of any size is read in bounded memory. Frame.data is a view into the reader's
 * buffer and stays valid until the next push().
 */
import { toHex } from '../util/addr.js';
import { converterFromTsresol, TicksConverter, type Timestamp } from './timestamp.js';
import { CaptureError, type Frame } from './types.js';

export type CaptureFormat = 'pcap' | 'pcapng';

/** Largest record/block accepted; anything bigger is corruption, not a packet. */
export const MAX_BLOCK = 256 * 1024 * 1024;

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;
const BT_IDB = 1;
const BT_OPB = 2;
const BT_SPB = 3;
const BT_EPB = 6;
const OPT_TSRESOL = 9;
const OPT_TSOFFSET = 14;

const MIN_BUFFER = 1 << 12;

export interface CaptureInterface {
  linkType: number;
  snaplen: number;
  /** Timestamp ticks per second (10^6 unless if_tsresol says otherwise). */
  unitsPerSec: number;
  /** Index of the pcapng section this interface belongs to (0 for pcap). */
  section: number;
}

interface IfaceState extends CaptureInterface {
  conv: TicksConverter;
}

const DEFAULT_CONV = new TicksConverter(10, 6);

export class CaptureReader {
  /** Detected once the first 4 bytes have arrived. */
  format: CaptureFormat | null = null;
  /** Every interface seen so far, in order (pcap: exactly one). */
  readonly interfaces: CaptureInterface[] = [];

  private buf = new Uint8Array(0);
  private view = new DataView(this.buf.buffer);
  private start = 0;
  private fill = 0;
  /** File offset of buf[0]. */
  private base = 0;
  private ended = false;
  private frameCount = 0;
  private le = true;
  private headerDone = false;
  private pcapNs = false;
  private section = -1;
  /** Interfaces of the current pcapng section (indices are per section). */
  private sectionIfaces: IfaceState[] = [];
  private readonly ts: Timestamp = { sec: 0, nsec: 0 };

  /** Number of frames returned so far. */
  get frames(): number {
    return this.frameCount;
  }

  /** File offset of the next unread byte. */
  get offset(): number {
    return this.base + this.start;
  }

  /** Size of the internal buffer: bounded by the largest record plus the largest pushed chunk. */
  get capacity(): number {
    return this.buf.length;
  }

  /** Link types of all interfaces, in interface order. */
  get linkTypes(): number[] {
    return this.interfaces.map((i) => i.linkType);
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const unread = this.fill - this.start;
    if (this.fill + chunk.length > this.buf.length) {
      if (unread + chunk.length <= this.buf.length) {
        this.buf.copyWithin(0, this.start, this.fill);
      } else {
        let size = Math.max(MIN_BUFFER, this.buf.length * 2);
        while (size < unread + chunk.length) size *= 2;
        const nb = new Uint8Array(size);
        nb.set(this.buf.subarray(this.start, this.fill));
        this.buf = nb;
        this.view = new DataView(nb.buffer);
      }
      this.base += this.start;
      this.start = 0;
      this.fill = unread;
    }
    this.buf.set(chunk, this.fill);
    this.fill += chunk.length;
  }

  /**
   * Declares that no more input follows. Throws CaptureError('truncated') if the next unread record is cut
   * short, or ('not-a-capture') for input too short to be a capture at all. Complete records still buffered
   * can be taken with next() afterwards; next() then throws when it reaches a partial one.
   */
  end(): void {
    this.ended = true;
    if (!this.headerDone && !this.readFileHeader()) return;
    const avail = this.fill - this.start;
    if (avail === 0) return;
    const v = this.view;
    const s = this.start;
    if (this.format === 'pcap') {
      if (avail < 16) throw this.truncated('a packet record header');
      if (avail < 16 + v.getUint32(s + 8, this.le)) throw this.truncated(`packet record ${this.frameCount + 1}`);
      return;
    }
    if (avail < 12) throw this.truncated('a pcapng block header');
    const b = this.buf;
    const isShb = ((b[s] << 24) | (b[s + 1] << 16) | (b[s + 2] << 8) | b[s + 3]) >>> 0 === PCAPNG_SHB;
    const le = isShb ? v.getUint32(s + 8, false) !== PCAPNG_BOM : this.le;
    const len = v.getUint32(s + 4, le);
    if (avail < len) throw this.truncated(`a ${len}-byte pcapng block`);
  }

  /** The next frame, or null when more input is needed (or, after end(), when the file is finished). */
  next(): Frame | null {
    if (!this.headerDone && !this.readFileHeader()) return null;
    return this.format === 'pcap' ? this.nextPcap() : this.nextPcapng();
  }

  private truncated(what: string): CaptureError {
    return new CaptureError(
      'truncated',
      `the capture ends in the middle of ${what} at byte ${this.offset} (file truncated: ${this.fill - this.start} of the needed bytes present); re-copy the file or let the capture finish writing`,
      this.offset,
    );
  }

  /** Returns true once the format is known and (for pcap) the 24-byte header has been read. */
  private readFileHeader(): boolean {
    const avail = this.fill - this.start;
    if (avail < 4) {
      if (this.ended) {
        throw new CaptureError('not-a-capture', avail === 0 ? 'the file is empty: it is not a pcap or pcapng file' : `the file is only ${avail} byte(s) long: it is not a pcap or pcapng file`, 0);
      }
      return false;
    }
    const b = this.buf;
    const s = this.start;
    const be = ((b[s] << 24) | (b[s + 1] << 16) | (b[s + 2] << 8) | b[s + 3]) >>> 0;
    const le = ((b[s + 3] << 24) | (b[s + 2] << 16) | (b[s + 1] << 8) | b[s]) >>> 0;
    if (be === PCAPNG_SHB) {
      this.format = 'pcapng';
      this.headerDone = true;
      return true;
    }
    if (be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS || le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS) {
      this.format = 'pcap';
      if (avail < 24) {
        if (this.ended) throw this.truncated('the 24-byte pcap file header');
        return false;
      }
      this.le = le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS;
      this.pcapNs = (this.le ? le : be) === PCAP_MAGIC_NS;
      const major = this.view.getUint16(s + 4, this.le);
      if (major !== 2) {
        throw new CaptureError('unsupported-version', `pcap file format version ${major}.${this.view.getUint16(s + 6, this.le)} is not supported (only 2.x exists)`, this.offset + 4);
      }
      const snaplen = this.view.getUint32(s + 16, this.le);
      const linkType = this.view.getUint32(s + 20, this.le) & 0x03ffffff;
      this.interfaces.push({ linkType, snaplen, unitsPerSec: this.pcapNs ? 1e9 : 1e6, section: 0 });
      this.start += 24;
      this.headerDone = true;
      return true;
    }
    const shown = toHex(b.subarray(s, s + Math.min(avail, 8)));
    throw new CaptureError('not-a-capture', `the input is not a pcap or pcapng file (first bytes ${shown}); save the capture in pcap or pcapng format (tcpdump -w, Wireshark "Save As")`, 0);
  }

  private nextPcap(): Frame | null {
    const avail = this.fill - this.start;
    if (avail < 16) {
      if (this.ended && avail > 0) throw this.truncated('a packet record header');
      return null;
    }
    const v = this.view;
    const s = this.start;
    const le = this.le;
    const incl = v.getUint32(s + 8, le);
    if (incl > MAX_BLOCK) {
      throw new CaptureError('too-large', `packet record ${this.frameCount + 1} at byte ${this.offset} claims ${incl} captured bytes (limit ${MAX_BLOCK}); the file is corrupt`, this.offset);
    }
    if (avail < 16 + incl) {
      if (this.ended) throw this.truncated(`packet record ${this.frameCount + 1}`);
      return null;
    }
    const sub = v.getUint32(s + 4, le);
    const frame: Frame = {
      index: ++this.frameCount,
      tsSec: v.getUint32(s, le),
      tsNsec: this.pcapNs ? sub : sub * 1000,
      linkType: this.interfaces[0].linkType,
      iface: 0,
      data: this.buf.subarray(s + 16, s + 16 + incl),
      origLen: v.getUint32(s + 12, le),
    };
    this.start = s + 16 + incl;
    return frame;
  }

  private nextPcapng(): Frame | null {
    for (;;) {
      const avail = this.fill - this.start;
      if (avail < 12) {
        if (this.ended && avail > 0) throw this.truncated('a pcapng block header');
        return null;
      }
      const s = this.start;
      const b = this.buf;
      const typeBe = ((b[s] << 24) | (b[s + 1] << 16) | (b[s + 2] << 8) | b[s + 3]) >>> 0;
      if (typeBe === PCAPNG_SHB) {
        const bom = this.view.getUint32(s + 8, false);
        if (bom === PCAPNG_BOM) this.le = false;
        else if (bom === 0x4d3c2b1a) this.le = true;
        else {
          throw new CaptureError('bad-block', `section header block at byte ${this.offset} has byte-order magic ${bom.toString(16).padStart(8, '0')} instead of 1a2b3c4d; the file is corrupt`, this.offset);
        }
      }
      const le = this.le;
      const type = this.view.getUint32(s, le);
      const len = this.view.getUint32(s + 4, le);
      if (len > MAX_BLOCK) {
        throw new CaptureError('too-large', `pcapng block at byte ${this.offset} claims ${len} bytes (limit ${MAX_BLOCK}); the file is corrupt`, this.offset);
      }
      if (len < 12 || len % 4 !== 0) {
        throw new CaptureError('bad-block', `pcapng block at byte ${this.offset} has length ${len} (must be a multiple of 4, at least 12); the file is corrupt`, this.offset);
      }
      if (avail < len) {
        if (this.ended) throw this.truncated(`a ${len}-byte pcapng block`);
        return null;
      }
      if (this.view.getUint32(s + len - 4, le) !== len) {
        throw new CaptureError('bad-block', `pcapng block at byte ${this.offset}: trailing length ${this.view.getUint32(s + len - 4, le)} differs from leading length ${len}; the file is corrupt`, this.offset);
      }
      let frame: Frame | null = null;
      if (type === PCAPNG_SHB) this.readShb(s, len);
      else if (type === BT_EPB) frame = this.readEpb(s, len, false);
      else if (type === BT_SPB) frame = this.readSpb(s, len);
      else if (type === BT_IDB) this.readIdb(s, len);
      else if (type === BT_OPB) frame = this.readEpb(s, len, true);
      this.start = s + len;
      if (frame) return frame;
    }
  }

  private blockError(s: number, what: string): CaptureError {
    return new CaptureError('bad-block', `pcapng block at byte ${this.base + s}: ${what}; the file is corrupt`, this.base + s);
  }

  private readShb(s: number, len: number): void {
    if (len < 28) throw this.blockError(s, `section header block of ${len} bytes is shorter than 28`);
    const major = this.view.getUint16(s + 12, this.le);
    if (major !== 1) {
      throw new CaptureError('unsupported-version', `pcapng section version ${major}.${this.view.getUint16(s + 14, this.le)} at byte ${this.base + s} is not supported (only 1.x)`, this.base + s);
    }
    this.section++;
    this.sectionIfaces = [];
  }

  private readIdb(s: number, len: number): void {
    if (this.section < 0) throw this.blockError(s, 'interface description before any section header');
    if (len < 20) throw this.blockError(s, `interface description block of ${len} bytes is shorter than 20`);
    const v = this.view;
    const le = this.le;
    const linkType = v.getUint16(s + 8, le);
    const snaplen = v.getUint32(s + 12, le);
    let tsresol = 6;
    let offsetSec = 0;
    const optEnd = s + len - 4;
    for (let o = s + 16; o + 4 <= optEnd; ) {
      const code = v.getUint16(o, le);
      const olen = v.getUint16(o + 2, le);
      if (code === 0) break;
      if (o + 4 + olen > optEnd) throw this.blockError(s, `interface option ${code} runs past the end of the block`);
      if (code === OPT_TSRESOL && olen >= 1) tsresol = this.buf[o + 4];
      else if (code === OPT_TSOFFSET && olen >= 8) {
        const hi = v.getInt32(le ? o + 8 : o + 4, le);
        const lo = v.getUint32(le ? o + 4 : o + 8, le);
        offsetSec = hi * 4294967296 + lo;
      }
      o += 4 + ((olen + 3) & ~3);
    }
    const conv = tsresol === 6 && offsetSec === 0 ? DEFAULT_CONV : converterFromTsresol(tsresol, offsetSec);
    const iface: IfaceState = { linkType, snaplen, unitsPerSec: conv.unitsPerSec, section: this.section, conv };
    this.sectionIfaces.push(iface);
    this.interfaces.push({ linkType, snaplen, unitsPerSec: conv.unitsPerSec, section: this.section });
  }

  private ifaceIndex(local: number): number {
    return this.interfaces.length - this.sectionIfaces.length + local;
  }

  private readEpb(s: number, len: number, obsolete: boolean): Frame {
    const what = obsolete ? 'packet block' : 'enhanced packet block';
    if (len < 32) throw this.blockError(s, `${what} of ${len} bytes is shorter than 32`);
    const v = this.view;
    const le = this.le;
    const id = obsolete ? v.getUint16(s + 8, le) : v.getUint32(s + 8, le);
    const iface = this.sectionIfaces[id];
    if (!iface) throw this.blockError(s, `${what} refers to interface ${id}, but the section describes ${this.sectionIfaces.length}`);
    const cap = v.getUint32(s + 20, le);
    if (cap > len - 32) throw this.blockError(s, `${what} claims ${cap} captured bytes but holds at most ${len - 32}`);
    iface.conv.convert(v.getUint32(s + 12, le), v.getUint32(s + 16, le), this.ts);
    return {
      index: ++this.frameCount,
      tsSec: this.ts.sec,
      tsNsec: this.ts.nsec,
      linkType: iface.linkType,
      iface: this.ifaceIndex(id),
      data: this.buf.subarray(s + 28, s + 28 + cap),
      origLen: v.getUint32(s + 24, le),
    };
  }

  /** Simple packet blocks carry no timestamp and no interface: they belong to the section's first interface. */
  private readSpb(s: number, len: number): Frame {
    if (len < 16) throw this.blockError(s, `simple packet block of ${len} bytes is shorter than 16`);
    const iface = this.sectionIfaces[0];
    if (!iface) throw this.blockError(s, 'simple packet block in a section without an interface description');
    const origLen = this.view.getUint32(s + 8, this.le);
    let cap = Math.min(origLen, len - 16);
    if (iface.snaplen > 0) cap = Math.min(cap, iface.snaplen);
    return {
      index: ++this.frameCount,
      tsSec: 0,
      tsNsec: 0,
      linkType: iface.linkType,
      iface: this.ifaceIndex(0),
      data: this.buf.subarray(s + 12, s + 12 + cap),
      origLen,
    };
  }
}

/**
 * Reads frames from a stream of chunks (a Node ReadStream, a web ReadableStream, ...). Throws CaptureError.
 * A frame's data is a view that the next chunk may overwrite: copy what you keep beyond the loop iteration.
 */
export async function* readFrames(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Frame, void, undefined> {
  const reader = new CaptureReader();
  for await (const chunk of chunks) {
    reader.push(chunk);
    let f: Frame | null;
    while ((f = reader.next()) !== null) yield f;
  }
  reader.end();
}
