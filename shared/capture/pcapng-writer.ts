/** pcapng writer: section header, interface descriptions (several link types, any if_tsresol), EPB and SPB. */
import { concatBytes, type PacketRecord } from './pcap-writer.js';

export interface PcapngInterface {
  linkType: number;
  snaplen?: number;
  /** if_tsresol byte: 6 = microseconds (default, option omitted), 9 = ns, 0x80|n = 2^-n. */
  tsresol?: number;
  /** if_name option. */
  name?: string;
}

export interface PcapngWriterOptions {
  interfaces: PcapngInterface[];
  bigEndian?: boolean;
}

export interface PcapngPacket extends PacketRecord {
  /** Interface index within the section; default 0. */
  iface?: number;
}

const pad4 = (n: number) => (n + 3) & ~3;

export class PcapngWriter {
  private readonly le: boolean;

  constructor(private readonly opts: PcapngWriterOptions) {
    this.le = !opts.bigEndian;
  }

  /** Any block: type, body (padded to 4 bytes), lengths. */
  block(type: number, body: Uint8Array): Uint8Array {
    const len = 12 + pad4(body.length);
    const out = new Uint8Array(len);
    const v = new DataView(out.buffer);
    v.setUint32(0, type, this.le);
    v.setUint32(4, len, this.le);
    out.set(body, 8);
    v.setUint32(len - 4, len, this.le);
    return out;
  }

  /** Section header block followed by one IDB per interface. */
  header(): Uint8Array {
    const shb = new Uint8Array(16);
    const v = new DataView(shb.buffer);
    v.setUint32(0, 0x1a2b3c4d, this.le);
    v.setUint16(4, 1, this.le);
    v.setUint16(6, 0, this.le);
    v.setInt32(8, -1, this.le);
    v.setInt32(12, -1, this.le);
    return concatBytes([this.block(0x0a0d0d0a, shb), ...this.opts.interfaces.map((i) => this.idb(i))]);
  }

  private idb(i: PcapngInterface): Uint8Array {
    const opts: Uint8Array[] = [];
    const opt = (code: number, value: Uint8Array) => {
      const o = new Uint8Array(4 + pad4(value.length));
      const v = new DataView(o.buffer);
      v.setUint16(0, code, this.le);
      v.setUint16(2, value.length, this.le);
      o.set(value, 4);
      opts.push(o);
    };
    if (i.name !== undefined) opt(2, Uint8Array.from(i.name, (c) => c.charCodeAt(0) & 0xff));
    if (i.tsresol !== undefined && i.tsresol !== 6) opt(9, Uint8Array.of(i.tsresol));
    if (opts.length > 0) opt(0, new Uint8Array(0));
    const fixed = new Uint8Array(8);
    const v = new DataView(fixed.buffer);
    v.setUint16(0, i.linkType, this.le);
    v.setUint32(4, i.snaplen ?? 262144, this.le);
    return this.block(1, concatBytes([fixed, ...opts]));
  }

  private unitsPerSec(iface: number): bigint {
    const r = this.opts.interfaces[iface]?.tsresol ?? 6;
    return r & 0x80 ? 2n ** BigInt(r & 0x7f) : 10n ** BigInt(r);
  }

  /** Enhanced packet block; the timestamp is converted to the interface's resolution. */
  packet(p: PcapngPacket): Uint8Array {
    const iface = p.iface ?? 0;
    const units = this.unitsPerSec(iface);
    const ticks = BigInt(p.tsSec) * units + (BigInt(p.tsNsec) * units) / 1_000_000_000n;
    const body = new Uint8Array(20 + pad4(p.data.length));
    const v = new DataView(body.buffer);
    v.setUint32(0, iface, this.le);
    v.setUint32(4, Number((ticks >> 32n) & 0xffffffffn), this.le);
    v.setUint32(8, Number(ticks & 0xffffffffn), this.le);
    v.setUint32(12, p.data.length, this.le);
    v.setUint32(16, p.origLen ?? p.data.length, this.le);
    body.set(p.data, 20);
    return this.block(6, body);
  }

  /** Simple packet block (no timestamp; belongs to interface 0). */
  simplePacket(data: Uint8Array, origLen = data.length): Uint8Array {
    const body = new Uint8Array(4 + pad4(data.length));
    new DataView(body.buffer).setUint32(0, origLen, this.le);
    body.set(data, 4);
    return this.block(3, body);
  }
}

/** A whole single-section pcapng file in memory (tests and small fixtures). */
export function writePcapng(opts: PcapngWriterOptions, packets: PcapngPacket[]): Uint8Array {
  const w = new PcapngWriter(opts);
  return concatBytes([w.header(), ...packets.map((p) => w.packet(p))]);
}
