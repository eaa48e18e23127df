/** Classic pcap writer (any link type, microsecond or nanosecond timestamps, either byte order). */

export interface PcapWriterOptions {
  linkType: number;
  snaplen?: number;
  /** Nanosecond timestamps (magic a1b23c4d); default microseconds. */
  nanosecond?: boolean;
  /** Byte order of the file; default little-endian. */
  bigEndian?: boolean;
}

export interface PacketRecord {
  tsSec: number;
  /** Nanoseconds within the second (truncated to microseconds in a microsecond file). */
  tsNsec: number;
  data: Uint8Array;
  /** Original length; defaults to data.length. */
  origLen?: number;
}

export class PcapWriter {
  private readonly le: boolean;

  constructor(private readonly opts: PcapWriterOptions) {
    this.le = !opts.bigEndian;
  }

  /** The 24-byte file header. */
  header(): Uint8Array {
    const out = new Uint8Array(24);
    const v = new DataView(out.buffer);
    v.setUint32(0, this.opts.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, this.le);
    v.setUint16(4, 2, this.le);
    v.setUint16(6, 4, this.le);
    v.setUint32(16, this.opts.snaplen ?? 262144, this.le);
    v.setUint32(20, this.opts.linkType, this.le);
    return out;
  }

  /** One packet record (16-byte header + data). */
  packet(p: PacketRecord): Uint8Array {
    const out = new Uint8Array(16 + p.data.length);
    this.packetInto(p, out, 0);
    return out;
  }

  /** Writes a record into `out` at `offset` and returns the number of bytes written (16 + data length). */
  packetInto(p: PacketRecord, out: Uint8Array, offset: number): number {
    const v = new DataView(out.buffer, out.byteOffset + offset, 16);
    v.setUint32(0, p.tsSec >>> 0, this.le);
    v.setUint32(4, this.opts.nanosecond ? p.tsNsec : Math.floor(p.tsNsec / 1000), this.le);
    v.setUint32(8, p.data.length, this.le);
    v.setUint32(12, p.origLen ?? p.data.length, this.le);
    out.set(p.data, offset + 16);
    return 16 + p.data.length;
  }
}

/** A whole pcap file in memory (tests and small fixtures). */
export function writePcap(opts: PcapWriterOptions, packets: PacketRecord[]): Uint8Array {
  const w = new PcapWriter(opts);
  const parts = [w.header(), ...packets.map((p) => w.packet(p))];
  return concatBytes(parts);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
