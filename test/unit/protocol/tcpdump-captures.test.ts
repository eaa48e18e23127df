import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaptureReader } from '../../../shared/capture/reader.js';
import { CaptureError, type Frame } from '../../../shared/capture/types.js';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import type { DecodedFrame, VrrpAdvert } from '../../../shared/protocol/types.js';

// The public captures sit in shared/ beside the repository (the developers' guide layout; CI lays it out the same way).
const DIR = fileURLToPath(new URL('../../../../shared/captures/tcpdump-tests', import.meta.url));

interface Expected {
  index: number;
  time: number;
  ttl: number;
  src: string;
  version: number;
  vrid: number;
  prio: number;
  authType?: string;
  intervalCs: number;
  addresses: string[];
  auth?: string;
}

/** Parses tcpdump -v text: one record per frame, the frame number line plus its continuation lines. */
function parseTcpdumpV(text: string): Expected[] {
  const records: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*\d+\s+\d{4}-\d\d-\d\d /.test(line)) records.push(line);
    else if (line.trim() && records.length) records[records.length - 1] += ' ' + line.trim();
  }
  return records.map((r) => {
    const m = (re: RegExp) => {
      const x = re.exec(r);
      if (!x) throw new Error(`no ${re} in ${r}`);
      return x;
    };
    const [, idx, date, time] = m(/^\s*(\d+)\s+(\S+) (\S+)/);
    const addrs = /addrs(?:\(\d+\))?: ([^ ]+)/.exec(r);
    const intvl = m(/intvl (\d+)(s|cs)/);
    return {
      index: Number(idx),
      time: Date.parse(`${date}T${time.slice(0, 8)}Z`) / 1000 + Number(`0.${time.slice(9)}`),
      ttl: Number(m(/(?:ttl|hlim) (\d+)/)[1]),
      src: m(/ ([0-9a-f.:]+) > [0-9a-f.:]+: VRRP/)[1],
      version: Number(m(/VRRPv(\d)/)[1]),
      vrid: Number(m(/vrid (\d+)/)[1]),
      prio: Number(m(/prio (\d+)/)[1]),
      authType: /authtype (\w+)/.exec(r)?.[1],
      intervalCs: Number(intvl[1]) * (intvl[2] === 's' ? 100 : 1),
      addresses: addrs ? addrs[1].split(',') : [],
      auth: /auth "([^"]*)"/.exec(r)?.[1],
    };
  });
}

function readCapture(path: string): { frames: Frame[]; decoded: (DecodedFrame | null)[]; error?: CaptureError } {
  const r = new CaptureReader();
  const frames: Frame[] = [];
  const decoded: (DecodedFrame | null)[] = [];
  try {
    r.push(new Uint8Array(readFileSync(path)));
    let f: Frame | null;
    while ((f = r.next()) !== null) {
      frames.push(f);
      decoded.push(decodeFrame(f.linkType, f.data));
    }
    r.end();
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    return { frames, decoded, error: e };
  }
  return { frames, decoded };
}

describe("tcpdump's vrrp.pcap", () => {
  const expected = parseTcpdumpV(readFileSync(`${DIR}/vrrp-v.out`, 'utf8'));
  const { frames, decoded, error } = readCapture(`${DIR}/vrrp.pcap`);

  it('has 165 frames and no read error', () => {
    expect(error).toBeUndefined();
    expect(frames.length).toBe(165);
    expect(expected.length).toBe(165);
  });

  it('decodes every frame with the fields tcpdump -v prints: version, vrid, prio, interval, addresses, auth', () => {
    for (const e of expected) {
      const d = decoded[e.index - 1];
      const f = frames[e.index - 1];
      expect(d?.problem).toBeUndefined();
      const ha = d?.ha as VrrpAdvert;
      const got = {
        time: Math.round((f.tsSec + f.tsNsec / 1e9) * 1e6),
        ttl: d?.ip?.ttl,
        src: d?.ip?.src,
        version: ha.version,
        vrid: ha.vrid,
        prio: ha.priority,
        authType: ha.authType === undefined ? undefined : (['none', 'simple', 'ah'][ha.authType] ?? String(ha.authType)),
        intervalCs: ha.intervalCs,
        addresses: ha.addresses,
        auth: ha.authText,
      };
      expect(got, `frame ${e.index}`).toEqual({ ...e, index: undefined, time: Math.round(e.time * 1e6) });
    }
  });

  it('verifies every checksum (v3 with the pseudo-header) and classifies by version', () => {
    const kinds = new Set<string>();
    for (const d of decoded) {
      const ha = d?.ha as VrrpAdvert;
      expect(ha.checksumOk).toBe(true);
      expect(ha.kind).toBe(ha.version === 2 ? 'vrrp2' : 'vrrp3');
      kinds.add(`${ha.kind}/${d?.ip?.family}`);
    }
    expect([...kinds].sort()).toEqual(['vrrp2/4', 'vrrp3/4', 'vrrp3/6']);
  });
});

describe("tcpdump's out-of-bounds-read regression captures", () => {
  it('vrrp_print-oobr-2.pcap (Ethernet, fuzzed VRRP) gives only typed problems or a CaptureError', () => {
    const { decoded, error } = readCapture(`${DIR}/vrrp-vrrp_print-oobr-2.pcap`);
    expect(error === undefined || error instanceof CaptureError).toBe(true);
    expect(decoded.length).toBeGreaterThan(0);
    expect(decoded.some((d) => d?.problem)).toBe(true);
    for (const d of decoded) {
      if (d === null) continue;
      expect(d.ha).toBeUndefined();
      expect(d.problem?.code).toMatch(/^(truncated|malformed|unknown-112|unsupported-link-type)$/);
    }
  });

  it('vrrp_print-oobr.pcap (Frame Relay) reports the unsupported link type with a way out', () => {
    const { frames, decoded, error } = readCapture(`${DIR}/vrrp-vrrp_print-oobr.pcap`);
    expect(error === undefined || error instanceof CaptureError).toBe(true);
    expect(frames.length).toBeGreaterThan(0);
    for (const d of decoded) {
      expect(d?.problem?.code).toBe('unsupported-link-type');
      expect(d?.problem?.message).toMatch(/^unsupported link type 107 \(Frame Relay\): CarpDeck reads Ethernet, Linux cooked \(SLL\/SLL2\) and raw IP captures; re-capture with/);
    }
  });
});
