// TShark's decode of a capture, as the reference the analyser's advert rows are checked against.
// CARP files are read with `-d ip.proto==112,carp` (TShark shows protocol 112 as VRRP otherwise, carp-wire.md §6).
import { spawnSync } from 'node:child_process';

/** Fields every CARP/VRRP row carries, from the frame, Ethernet and IP layers. */
export interface TsharkFrame {
  frame: number;
  time: number;
  srcMac: string;
  src: string;
  dst: string;
  ttl: number;
  /** TShark's checksum status: true good, false bad; a row TShark did not verify fails the decode. */
  checksumOk: boolean;
}

export interface TsharkCarp extends TsharkFrame {
  version: number;
  type: number;
  vhid: number;
  advskew: number;
  authlen: number;
  demote: number;
  advbase: number;
  counter: string;
  /** The 20 HMAC bytes as lowercase hex. */
  hmac: string;
}

export interface TsharkVrrp extends TsharkFrame {
  version: number;
  vrid: number;
  priority: number;
  /** Advertisement interval in centiseconds (v2's whole seconds scaled by 100). */
  intervalCs: number;
  addresses: string[];
}

const FRAME_FIELDS = ['frame.number', 'frame.time_epoch', 'eth.src', 'sll.src.eth', 'ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst', 'ip.ttl', 'ipv6.hlim'];
const CARP_FIELDS = ['carp.version', 'carp.type', 'carp.vhid', 'carp.advskew', 'carp.authlen', 'carp.demotion', 'carp.adver_int', 'carp.counter', 'carp.hmac', 'carp.checksum.status'];
const VRRP_FIELDS = ['vrrp.version', 'vrrp.virt_rtr_id', 'vrrp.prio', 'vrrp.adver_int', 'vrrp.short_adver_int', 'vrrp.ip_addr', 'vrrp.ipv6_addr', 'vrrp.checksum.status'];

// TShark's checksum status values (epan/proto.h: PROTO_CHECKSUM_E_BAD = 0, PROTO_CHECKSUM_E_GOOD = 1).
const CHECKSUM_BAD = '0';
const CHECKSUM_GOOD = '1';

function runTshark(file: string, display: string, fields: string[], decodeAs: string[]): Record<string, string>[] {
  const argv = ['-n', '-r', file, ...decodeAs, '-Y', display, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) argv.push('-e', f);
  const r = spawnSync('tshark', argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`cannot run tshark: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`tshark -r ${file} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const values = line.split('\t');
      return Object.fromEntries(fields.map((f, i) => [f, values[i] ?? '']));
    });
}

/** A decimal field kept as a string: the 64-bit CARP counter does not fit a double. */
function digits(row: Record<string, string>, field: string): string {
  const v = row[field];
  if (!/^\d+$/.test(v)) throw new Error(`tshark gave "${v}" for ${field} in frame ${row['frame.number']}`);
  return v;
}

function int(row: Record<string, string>, field: string): number {
  return Number(digits(row, field));
}

function checksum(row: Record<string, string>, field: string): boolean {
  const v = row[field];
  if (v !== CHECKSUM_GOOD && v !== CHECKSUM_BAD) throw new Error(`tshark did not verify ${field} in frame ${row['frame.number']} (status "${v}")`);
  return v === CHECKSUM_GOOD;
}

function frameFields(row: Record<string, string>, checksumField: string): TsharkFrame {
  const v6 = row['ipv6.src'] !== '';
  return {
    frame: int(row, 'frame.number'),
    time: Number(row['frame.time_epoch']),
    srcMac: row['eth.src'] || row['sll.src.eth'],
    src: v6 ? row['ipv6.src'] : row['ip.src'],
    dst: v6 ? row['ipv6.dst'] : row['ip.dst'],
    ttl: int(row, v6 ? 'ipv6.hlim' : 'ip.ttl'),
    checksumOk: checksum(row, checksumField),
  };
}

/** Every packet TShark decodes as CARP when protocol 112 is forced to CARP, in file order. */
export function tsharkCarp(file: string): TsharkCarp[] {
  return runTshark(file, 'carp', [...FRAME_FIELDS, ...CARP_FIELDS], ['-d', 'ip.proto==112,carp']).map((row) => ({
    ...frameFields(row, 'carp.checksum.status'),
    version: int(row, 'carp.version'),
    type: int(row, 'carp.type'),
    vhid: int(row, 'carp.vhid'),
    advskew: int(row, 'carp.advskew'),
    authlen: int(row, 'carp.authlen'),
    demote: int(row, 'carp.demotion'),
    advbase: int(row, 'carp.adver_int'),
    counter: digits(row, 'carp.counter'),
    hmac: row['carp.hmac'].replace(/:/g, '').toLowerCase(),
  }));
}

/** Every packet TShark decodes as VRRP (its default for protocol 112), in file order. */
export function tsharkVrrp(file: string): TsharkVrrp[] {
  return runTshark(file, 'vrrp', [...FRAME_FIELDS, ...VRRP_FIELDS], []).map((row) => {
    const version = int(row, 'vrrp.version');
    const list = row['vrrp.ip_addr'] || row['vrrp.ipv6_addr'];
    return {
      ...frameFields(row, 'vrrp.checksum.status'),
      version,
      vrid: int(row, 'vrrp.virt_rtr_id'),
      priority: int(row, 'vrrp.prio'),
      intervalCs: version === 3 ? int(row, 'vrrp.short_adver_int') : int(row, 'vrrp.adver_int') * 100,
      addresses: list === '' ? [] : list.split(','),
    };
  });
}
