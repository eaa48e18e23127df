import { describe, expect, it } from 'vitest';
import { CaptureReader, readFrames } from '../../../shared/capture/reader.js';
import { concatBytes, writePcap, PcapWriter, type PacketRecord } from '../../../shared/capture/pcap-writer.js';
import { PcapngWriter, writePcapng } from '../../../shared/capture/pcapng-writer.js';
import { CaptureError, type Frame } from '../../../shared/capture/types.js';
import { toHex } from '../../../shared/util/addr.js';

function packets(n: number, seed = 1): PacketRecord[] {
  const out: PacketRecord[] = [];
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const data = new Uint8Array(14 + (x % 200));
    for (let j = 0; j < data.length; j++) data[j] = (x + j * 7) & 0xff;
    out.push({ tsSec: 1_700_000_000 + i, tsNsec: (x % 1_000_000) * 1000 + (i % 1000), data, origLen: data.length + (i % 3) });
  }
  return out;
}

/** Feeds `file` in chunks of varying size and collects copies of every frame. */
function readAll(file: Uint8Array, chunk = 4096): { frames: Frame[]; reader: CaptureReader } {
  const r = new CaptureReader();
  const frames: Frame[] = [];
  for (let o = 0; o < file.length; o += chunk) {
    r.push(file.subarray(o, o + chunk));
    let f: Frame | null;
    while ((f = r.next()) !== null) frames.push({ ...f, data: f.data.slice() });
  }
  r.end();
  return { frames, reader: r };
}

function captureError(fn: () => unknown): CaptureError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CaptureError) return e;
    throw e;
  }
  throw new Error('expected a CaptureError');
}

describe('pcap reader', () => {
  for (const bigEndian of [false, true]) {
    for (const nanosecond of [false, true]) {
      it(`round-trips a ${bigEndian ? 'big' : 'little'}-endian ${nanosecond ? 'nanosecond' : 'microsecond'} file fed in odd-sized chunks`, () => {
        const pk = packets(300);
        const file = writePcap({ linkType: 1, bigEndian, nanosecond }, pk);
        for (const chunk of [1, 7, 333, 1 << 16]) {
          const { frames, reader } = readAll(file, chunk);
          expect(reader.format).toBe('pcap');
          expect(reader.linkTypes).toEqual([1]);
          expect(frames.length).toBe(pk.length);
          frames.forEach((f, i) => {
            expect(f.index).toBe(i + 1);
            expect(f.tsSec).toBe(pk[i].tsSec);
            expect(f.tsNsec).toBe(nanosecond ? pk[i].tsNsec : Math.floor(pk[i].tsNsec / 1000) * 1000);
            expect(f.origLen).toBe(pk[i].origLen);
            expect(f.linkType).toBe(1);
            expect(f.iface).toBe(0);
            expect(toHex(f.data)).toBe(toHex(pk[i].data));
          });
        }
      });
    }
  }

  it('masks the FCS bits off the header link type', () => {
    const file = writePcap({ linkType: 0x14000001 }, packets(1));
    expect(readAll(file).reader.linkTypes).toEqual([1]);
  });

  it('reads a header-only file as zero frames', () => {
    expect(readAll(new PcapWriter({ linkType: 101 }).header()).frames).toEqual([]);
  });

  it('reports a file cut inside a record as truncated, with the offset', () => {
    const file = writePcap({ linkType: 1 }, packets(3));
    const cut = file.subarray(0, file.length - 5);
    const e = captureError(() => readAll(cut));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/ends in the middle of packet record 3/);
    expect(e.offset).toBeGreaterThan(24);
  });

  it('reports a file cut inside the file header as truncated', () => {
    const e = captureError(() => readAll(writePcap({ linkType: 1 }, []).subarray(0, 10)));
    expect(e.code).toBe('truncated');
  });

  it('rejects a record claiming more than 256 MiB as too large', () => {
    const file = writePcap({ linkType: 1 }, packets(1));
    new DataView(file.buffer).setUint32(24 + 8, 0x20000000, true);
    expect(captureError(() => readAll(file)).code).toBe('too-large');
  });

  it('rejects an unknown pcap major version', () => {
    const file = writePcap({ linkType: 1 }, packets(1));
    file[4] = 3;
    expect(captureError(() => readAll(file)).code).toBe('unsupported-version');
  });
});

describe('non-capture input', () => {
  it('names the first bytes and the expected formats', () => {
    const text = Uint8Array.from('hello, this is text\n', (c) => c.charCodeAt(0));
    const e = captureError(() => readAll(text));
    expect(e.code).toBe('not-a-capture');
    expect(e.message).toMatch(/is not a pcap or pcapng file \(first bytes 68656c6c6f2c2074\)/);
  });

  it('reports an empty file and a 2-byte file as not a capture', () => {
    expect(captureError(() => readAll(new Uint8Array(0))).message).toMatch(/empty/);
    expect(captureError(() => readAll(Uint8Array.of(0xd4, 0xc3))).code).toBe('not-a-capture');
  });
});

describe('pcapng reader', () => {
  for (const bigEndian of [false, true]) {
    it(`round-trips several interfaces with different link types and timestamp resolutions (${bigEndian ? 'big' : 'little'}-endian)`, () => {
      const interfaces = [{ linkType: 1 }, { linkType: 113, tsresol: 9 }, { linkType: 101, tsresol: 0x80 | 20 }, { linkType: 276, tsresol: 3 }, { linkType: 1, tsresol: 0x80 | 31 }];
      const pk = packets(200).map((p, i) => ({ ...p, iface: i % 5 }));
      const file = writePcapng({ interfaces, bigEndian }, pk);
      const { frames, reader } = readAll(file, 97);
      expect(reader.format).toBe('pcapng');
      expect(reader.linkTypes).toEqual([1, 113, 101, 276, 1]);
      expect(reader.interfaces.map((i) => i.unitsPerSec)).toEqual([1e6, 1e9, 2 ** 20, 1e3, 2 ** 31]);
      expect(frames.length).toBe(200);
      frames.forEach((f, i) => {
        const p = pk[i];
        const units = reader.interfaces[p.iface].unitsPerSec;
        expect(f.iface).toBe(p.iface);
        expect(f.linkType).toBe(interfaces[p.iface].linkType);
        expect(f.tsSec).toBe(p.tsSec);
        // The writer truncates to the interface resolution; the reader must give back exactly that instant.
        const ticks = (BigInt(p.tsNsec) * BigInt(units)) / 1_000_000_000n;
        const expectedNs = Number((ticks * 1_000_000_000n) / BigInt(units));
        expect(f.tsNsec).toBe(expectedNs);
        expect(f.origLen).toBe(p.origLen);
        expect(toHex(f.data)).toBe(toHex(p.data));
      });
    });
  }

  it('gives simple packet blocks the first interface, no timestamp, and cuts them to its snaplen', () => {
    const w = new PcapngWriter({ interfaces: [{ linkType: 1, snaplen: 64 }, { linkType: 101 }] });
    const full = new Uint8Array(100).map((_, i) => i);
    const file = concatBytes([w.header(), w.simplePacket(full.subarray(0, 64), 100), w.simplePacket(full.subarray(0, 30))]);
    const { frames } = readAll(file);
    expect(frames.map((f) => [f.iface, f.linkType, f.data.length, f.origLen, f.tsSec])).toEqual([
      [0, 1, 64, 100, 0],
      [0, 1, 30, 30, 0],
    ]);
    expect(toHex(frames[0].data)).toBe(toHex(full.subarray(0, 64)));
  });

  it('skips name resolution, statistics, decryption-secrets and unknown blocks', () => {
    const w = new PcapngWriter({ interfaces: [{ linkType: 1 }] });
    const pk = packets(2);
    const file = concatBytes([
      w.header(),
      w.block(4, new Uint8Array(8)),
      w.packet(pk[0]),
      w.block(5, new Uint8Array(20)),
      w.block(10, new Uint8Array(12)),
      w.block(0x40000bad, new Uint8Array(3)),
      w.packet(pk[1]),
    ]);
    expect(readAll(file).frames.map((f) => toHex(f.data))).toEqual(pk.map((p) => toHex(p.data)));
  });

  it('numbers interfaces across sections and follows each section\'s byte order', () => {
    const a = new PcapngWriter({ interfaces: [{ linkType: 1 }, { linkType: 113 }] });
    const b = new PcapngWriter({ interfaces: [{ linkType: 229, tsresol: 9 }], bigEndian: true });
    const pk = packets(3);
    const file = concatBytes([a.header(), a.packet({ ...pk[0], iface: 1 }), b.header(), b.packet(pk[1]), a.header(), a.packet(pk[2])]);
    const { frames, reader } = readAll(file, 50);
    expect(reader.linkTypes).toEqual([1, 113, 229, 1, 113]);
    expect(reader.interfaces.map((i) => i.section)).toEqual([0, 0, 1, 2, 2]);
    expect(frames.map((f) => [f.index, f.iface, f.linkType, f.tsSec])).toEqual([
      [1, 1, 113, pk[0].tsSec],
      [2, 2, 229, pk[1].tsSec],
      [3, 3, 1, pk[2].tsSec],
    ]);
  });

  it('reads obsolete packet blocks (type 2)', () => {
    const w = new PcapngWriter({ interfaces: [{ linkType: 1 }] });
    const body = new Uint8Array(20 + 4);
    const v = new DataView(body.buffer);
    v.setUint16(0, 0, true);
    v.setUint32(4, 0, true);
    v.setUint32(8, 2_500_000, true);
    v.setUint32(12, 4, true);
    v.setUint32(16, 60, true);
    body.set([1, 2, 3, 4], 20);
    const { frames } = readAll(concatBytes([w.header(), w.block(2, body)]));
    expect(frames.map((f) => [f.tsSec, f.tsNsec, f.origLen, toHex(f.data)])).toEqual([[2, 500_000_000, 60, '01020304']]);
  });

  it('applies if_tsoffset', () => {
    const w = new PcapngWriter({ interfaces: [{ linkType: 1 }] });
    const hdr = w.header();
    // Rebuild the IDB with an if_tsoffset option of 1000 s.
    const idbBody = new Uint8Array(8 + 12 + 4);
    const v = new DataView(idbBody.buffer);
    v.setUint16(0, 1, true);
    v.setUint32(4, 65535, true);
    v.setUint16(8, 14, true);
    v.setUint16(10, 8, true);
    v.setUint32(12, 1000, true);
    const shbLen = new DataView(hdr.buffer).getUint32(4, true);
    const file = concatBytes([hdr.subarray(0, shbLen), w.block(1, idbBody), w.packet({ tsSec: 5, tsNsec: 0, data: new Uint8Array(4) })]);
    expect(readAll(file).frames[0].tsSec).toBe(1005);
  });

  it('reports a packet block for an undeclared interface, bad lengths and a bad byte-order magic as bad blocks', () => {
    const w = new PcapngWriter({ interfaces: [{ linkType: 1 }] });
    const pk = packets(1)[0];
    expect(captureError(() => readAll(concatBytes([w.header(), w.packet({ ...pk, iface: 3 })]))).message).toMatch(/refers to interface 3/);
    const bad = concatBytes([w.header(), w.packet(pk)]);
    new DataView(bad.buffer).setUint32(bad.length - 4, 8, true);
    expect(captureError(() => readAll(bad)).code).toBe('bad-block');
    const odd = concatBytes([w.header(), w.block(99, new Uint8Array(4))]);
    new DataView(odd.buffer).setUint32(odd.length - 16 + 4, 14, true);
    expect(captureError(() => readAll(odd)).code).toBe('bad-block');
    const bom = w.header();
    bom[8] = 0x11;
    expect(captureError(() => readAll(bom)).message).toMatch(/byte-order magic/);
  });

  it('rejects a block claiming more than 256 MiB as too large', () => {
    const w = new PcapngWriter({ interfaces: [{ linkType: 1 }] });
    const file = concatBytes([w.header(), w.packet(packets(1)[0])]);
    const epbAt = file.length - w.packet(packets(1)[0]).length;
    new DataView(file.buffer).setUint32(epbAt + 4, 0x10000004, true);
    expect(captureError(() => readAll(file)).code).toBe('too-large');
  });

  it('reports a file cut inside a block as truncated', () => {
    const file = writePcapng({ interfaces: [{ linkType: 1 }] }, packets(5));
    const e = captureError(() => readAll(file.subarray(0, file.length - 1)));
    expect(e.code).toBe('truncated');
  });
});

describe('streaming', () => {
  it('end() leaves complete records readable and throws only for a partial one', () => {
    const file = writePcap({ linkType: 1 }, packets(3));
    const r = new CaptureReader();
    r.push(file);
    r.end();
    let n = 0;
    while (r.next()) n++;
    expect(n).toBe(3);
    const cut = new CaptureReader();
    cut.push(file.subarray(0, file.length - 1));
    expect(cut.next()?.index).toBe(1);
    expect(cut.next()?.index).toBe(2);
    expect(cut.next()).toBeNull();
    expect(() => cut.end()).toThrow(CaptureError);
  });

  it('packetInto writes the same record bytes as packet()', () => {
    const w = new PcapWriter({ linkType: 1, nanosecond: true, bigEndian: true });
    const p = packets(1)[0];
    const out = new Uint8Array(100 + 16 + p.data.length);
    expect(w.packetInto(p, out, 100)).toBe(16 + p.data.length);
    expect(toHex(out.subarray(100))).toBe(toHex(w.packet(p)));
  });

  it('keeps its buffer bounded while reading a 40 MB capture', () => {
    const w = new PcapWriter({ linkType: 1 });
    const rec = w.packet({ tsSec: 1, tsNsec: 0, data: new Uint8Array(1500) });
    const r = new CaptureReader();
    r.push(w.header());
    const chunk = concatBytes(Array.from({ length: 43 }, () => rec));
    let n = 0;
    for (let i = 0; i < 600; i++) {
      r.push(chunk.subarray(0, chunk.length - (i % 3) * 100));
      r.push(chunk.subarray(chunk.length - (i % 3) * 100));
      while (r.next()) n++;
    }
    r.end();
    expect(n).toBe(600 * 43);
    expect(r.capacity).toBeLessThanOrEqual(1 << 20);
  });

  it('readFrames yields every frame of an async chunk stream and throws CaptureError on truncation', async () => {
    const file = writePcapng({ interfaces: [{ linkType: 1 }] }, packets(50));
    async function* chunks(f: Uint8Array) {
      for (let o = 0; o < f.length; o += 100) yield f.subarray(o, o + 100);
    }
    let n = 0;
    for await (const f of readFrames(chunks(file))) n += f.index > 0 ? 1 : 0;
    expect(n).toBe(50);
    await expect(async () => {
      for await (const _f of readFrames(chunks(file.subarray(0, file.length - 10)))) void _f;
    }).rejects.toBeInstanceOf(CaptureError);
  });
});
