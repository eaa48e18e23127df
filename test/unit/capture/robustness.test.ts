import { describe, expect, it } from 'vitest';
import { concatBytes, writePcap } from '../../../shared/capture/pcap-writer.js';
import { PcapngWriter } from '../../../shared/capture/pcapng-writer.js';
import { CaptureReader } from '../../../shared/capture/reader.js';
import { CaptureError } from '../../../shared/capture/types.js';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import { mutate, prng, seedFrames } from '../../fixtures/corpus.js';

const CODES = new Set(['not-a-capture', 'truncated', 'bad-block', 'unsupported-version', 'too-large']);

function validFiles(): Uint8Array[] {
  const seeds = seedFrames();
  const eth = seeds.filter((s) => s.linkType === 1);
  const files: Uint8Array[] = [];
  for (const bigEndian of [false, true]) {
    for (const nanosecond of [false, true]) {
      files.push(writePcap({ linkType: 1, bigEndian, nanosecond }, eth.map((s, i) => ({ tsSec: 1_700_000_000 + i, tsNsec: i * 1000, data: s.data }))));
    }
    const w = new PcapngWriter({ bigEndian, interfaces: [{ linkType: 1, snaplen: 200 }, { linkType: 113, tsresol: 9 }, { linkType: 276, tsresol: 0x80 | 24 }, { linkType: 229 }] });
    const ifaceOf = (lt: number) => [1, 113, 276, 229].indexOf(lt);
    files.push(
      concatBytes([
        w.header(),
        ...seeds.filter((s) => ifaceOf(s.linkType) >= 0).map((s, i) => w.packet({ iface: ifaceOf(s.linkType), tsSec: 1_700_000_000 + i, tsNsec: 5, data: s.data })),
        w.block(4, new Uint8Array(12)),
        w.simplePacket(eth[0].data),
        w.block(5, new Uint8Array(20)),
        w.header(),
        w.packet({ iface: 3, tsSec: 1, tsNsec: 0, data: seeds[11].data }),
      ]),
    );
  }
  return files;
}

/** Reads a whole file in chunks, decoding every frame; returns the frame count or the CaptureError. */
function readAll(file: Uint8Array, chunk: number): number | CaptureError {
  const r = new CaptureReader();
  let n = 0;
  try {
    for (let o = 0; o < file.length; o += chunk) {
      r.push(file.subarray(o, o + chunk));
      let f;
      while ((f = r.next()) !== null) {
        if (f.data.length > file.length) throw new Error('frame larger than the file');
        const d = decodeFrame(f.linkType, f.data);
        if (d?.problem && d.problem.message.length === 0) throw new Error('empty problem message');
        n++;
      }
    }
    r.end();
    while (r.next() !== null) n++;
  } catch (e) {
    if (e instanceof CaptureError) return e;
    throw e;
  }
  return n;
}

describe('capture reader robustness (seeded mutations and truncations of valid files)', () => {
  const files = validFiles();

  it('reads every seed file completely', () => {
    for (const f of files) expect(typeof readAll(f, 4096)).toBe('number');
  });

  it('every truncation point of every file ends in a frame count or a truncated CaptureError', () => {
    for (const f of files) {
      for (let len = 0; len < f.length; len++) {
        const r = readAll(f.subarray(0, len), 1 + (len % 300));
        if (typeof r !== 'number') {
          expect(r.code === 'truncated' || (r.code === 'not-a-capture' && len < 4)).toBe(true);
          expect(r.offset).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it('60,000 mutated files only ever fail with a CaptureError carrying a code, message and offset', () => {
    const rnd = prng(0x5eed);
    const seen = new Set<string>();
    let ok = 0;
    for (let n = 0; n < 60_000; n++) {
      const file = files[n % files.length];
      let m = mutate(file, rnd);
      // Half the cases aim at the headers, where the interesting lengths and magics live.
      if (n % 2 === 0) {
        m = file.slice();
        for (let k = 0; k < 1 + (n % 4); k++) m[Math.floor(rnd() * Math.min(m.length, 120))] = Math.floor(rnd() * 256);
      }
      let r: number | CaptureError;
      try {
        r = readAll(m, 1 + Math.floor(rnd() * 2000));
      } catch (e) {
        throw new Error(`case ${n} threw ${String(e)}`);
      }
      if (typeof r === 'number') ok++;
      else {
        expect(CODES.has(r.code)).toBe(true);
        expect(r.message.length).toBeGreaterThan(10);
        expect(Number.isInteger(r.offset) && r.offset >= 0).toBe(true);
        seen.add(r.code);
      }
    }
    expect(ok).toBeGreaterThan(1000);
    expect([...seen].sort()).toEqual(['bad-block', 'not-a-capture', 'too-large', 'truncated', 'unsupported-version']);
  });
});
