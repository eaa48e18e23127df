// Builds analyser input (Frame + DecodedFrame) for tests, as the packet layer would decode it.
import type { Frame } from '../../../shared/capture/types.js';
import { carpHmac } from '../../../shared/protocol/carp-hmac.js';
import type { DecodedFrame, DecodeProblem, IpInfo, VrrpAdvert } from '../../../shared/protocol/types.js';
import type { Analyzer } from '../../../shared/analysis/analyzer.js';

export interface CarpOpts {
  src: string;
  vhid?: number;
  advbase?: number;
  advskew?: number;
  demote?: number;
  counter?: bigint;
  ttl?: number;
  srcMac?: string;
  password?: string;
  vips?: string[];
  checksumOk?: boolean;
  vlans?: number[];
}

export interface VrrpOpts {
  src: string;
  vrid?: number;
  priority?: number;
  intervalCs?: number;
  version?: 2 | 3;
  addresses?: string[];
  ttl?: number;
  /** VRRPv2 auth type (0 none, 1 simple text); the default is 1 when `password` is set, else 0. */
  authType?: number;
  /** VRRPv2 simple-text password. */
  password?: string;
}

function ipInfo(src: string, ttl: number, protocol = 112): IpInfo {
  const family = src.includes(':') ? 6 : 4;
  return {
    family,
    src,
    dst: family === 4 ? '224.0.0.18' : 'ff02::12',
    ttl,
    tos: 0x10,
    protocol,
    srcBytes: new Uint8Array(family === 4 ? 4 : 16),
    dstBytes: new Uint8Array(family === 4 ? 4 : 16),
  };
}

/** Feeds frames into an analyser with increasing frame numbers; times are seconds from an epoch origin. */
export class Feeder {
  private index = 0;
  readonly origin = 1_700_000_000;

  constructor(readonly analyzer: Analyzer) {}

  private frame(t: number, linkType = 1): Frame {
    const sec = Math.floor(t);
    return { index: ++this.index, tsSec: this.origin + sec, tsNsec: Math.round((t - sec) * 1e9), linkType, iface: 0, data: new Uint8Array(60), origLen: 60 };
  }

  get frames(): number {
    return this.index;
  }

  carp(t: number, o: CarpOpts): number {
    const vhid = o.vhid ?? 1;
    const counter = o.counter ?? 0n;
    const hmac = o.password ? carpHmac(o.password, vhid, o.vips ?? [], counter) : new Uint8Array(20);
    const decoded: DecodedFrame = {
      link: { srcMac: o.srcMac ?? `00:00:5e:00:01:${vhid.toString(16).padStart(2, '0')}`, dstMac: '01:00:5e:00:00:12', vlans: o.vlans ?? [] },
      ip: ipInfo(o.src, o.ttl ?? 255),
      ha: { kind: 'carp', version: 2, type: 1, vhid, advskew: o.advskew ?? 0, authlen: 7, demote: o.demote ?? 0, advbase: o.advbase ?? 1, checksum: 0, checksumOk: o.checksumOk ?? true, counter, hmac },
    };
    this.analyzer.feed(this.frame(t), decoded);
    return this.index;
  }

  /** A master advertising every `interval` seconds from `from` up to (not including) `to`; the counter continues a shared sequence. */
  carpRun(from: number, to: number, o: CarpOpts & { seq?: { n: bigint } }, interval = (o.advbase ?? 1) + (o.advskew ?? 0) / 256): void {
    for (let t = from; t < to - 1e-9; t += interval) {
      const counter = o.seq ? o.seq.n++ : o.counter;
      this.carp(t, { ...o, counter });
    }
  }

  vrrp(t: number, o: VrrpOpts): number {
    const version = o.version ?? 2;
    const ha: VrrpAdvert = { kind: version === 2 ? 'vrrp2' : 'vrrp3', version, type: 1, vrid: o.vrid ?? 1, priority: o.priority ?? 100, countAddrs: (o.addresses ?? ['10.0.0.100']).length, intervalCs: o.intervalCs ?? 100, checksum: 0, checksumOk: true, addresses: o.addresses ?? ['10.0.0.100'] };
    if (version === 2) {
      ha.authType = o.authType ?? (o.password ? 1 : 0);
      if (o.password) ha.authText = o.password;
    }
    const decoded: DecodedFrame = { link: { srcMac: '52:54:00:00:00:01', vlans: [] }, ip: ipInfo(o.src, o.ttl ?? 255), ha };
    this.analyzer.feed(this.frame(t), decoded);
    return this.index;
  }

  vrrpRun(from: number, to: number, o: VrrpOpts): void {
    for (let t = from; t < to - 1e-9; t += (o.intervalCs ?? 100) / 100) this.vrrp(t, o);
  }

  garp(t: number, address: string, mac: string): void {
    this.analyzer.feed(this.frame(t), { link: { srcMac: mac, vlans: [] }, claim: { kind: address.includes(':') ? 'unsolicited-na' : 'garp', address, mac } });
  }

  other(t: number): void {
    this.analyzer.feed(this.frame(t), null);
  }

  problem(t: number, problem: DecodeProblem, linkType = 1): number {
    this.analyzer.feed(this.frame(t, linkType), { link: { vlans: [] }, problem });
    return this.index;
  }

  pfsync(t: number): void {
    this.analyzer.feed(this.frame(t), {
      link: { vlans: [] },
      ip: ipInfo('10.0.9.1', 255, 240),
      ha: { kind: 'pfsync', version: 6, inserted: 2, updated: 3, deleted: 1, bulkStart: false, bulkEnd: false, bulkRequest: false, clear: false },
    });
  }
}
