/**
 * Decoded packet types shared by the offline analyser, live discovery, carpd and the tests.
 * Addresses are strings in their usual text form (IPv6 compressed as RFC 5952, MACs lower-case colon hex).
 */

export interface LinkInfo {
  srcMac?: string;
  dstMac?: string;
  /** 802.1Q / QinQ VLAN ids, outermost first. */
  vlans: number[];
}

export interface IpInfo {
  family: 4 | 6;
  src: string;
  dst: string;
  /** IPv4 TTL or IPv6 hop limit. */
  ttl: number;
  /** IPv4 TOS byte or IPv6 traffic class. */
  tos: number;
  /** IP protocol / final next header. */
  protocol: number;
  /** Raw source and destination address bytes (4 or 16), used by checksums and the HMAC. */
  srcBytes: Uint8Array;
  dstBytes: Uint8Array;
}

export interface CarpAdvert {
  kind: 'carp';
  version: number;
  type: number;
  vhid: number;
  advskew: number;
  authlen: number;
  /** OpenBSD demote byte (reserved, 0, on FreeBSD and ucarp). */
  demote: number;
  advbase: number;
  checksum: number;
  checksumOk: boolean;
  /** 64-bit counter (high word first on the wire). */
  counter: bigint;
  /** 20-byte HMAC-SHA1 as carried in the packet. */
  hmac: Uint8Array;
}

export interface VrrpAdvert {
  kind: 'vrrp2' | 'vrrp3';
  version: 2 | 3;
  type: number;
  vrid: number;
  priority: number;
  countAddrs: number;
  /** VRRPv2 only: auth type (0 none, 1 simple text, 2 AH). */
  authType?: number;
  /** VRRPv2 simple-text password, when present. */
  authText?: string;
  /** Advertisement interval in centiseconds (v2's whole seconds are converted). */
  intervalCs: number;
  checksum: number;
  checksumOk: boolean;
  addresses: string[];
}

export interface PfsyncPacket {
  kind: 'pfsync';
  version: number;
  inserted: number;
  updated: number;
  deleted: number;
  bulkStart: boolean;
  bulkEnd: boolean;
  bulkRequest: boolean;
  clear: boolean;
  /** Set when the subheader walk stopped early (unknown action or truncation); the counts are partial. */
  problem?: string;
}

export interface ConntrackdMessage {
  type: number;
  /** Human name: CT_NEW, CT_UPD, CT_DEL, EXP_NEW, EXP_UPD, EXP_DEL, CTL. */
  typeName: string;
  flags: number;
  seq: number;
  len: number;
}

export interface ConntrackdPacket {
  kind: 'conntrackd';
  messages: ConntrackdMessage[];
}

export type HaPayload = CarpAdvert | VrrpAdvert | PfsyncPacket | ConntrackdPacket;

/** Gratuitous ARP or unsolicited neighbour advertisement: reveals which addresses a MAC claims. */
export interface AddressClaim {
  kind: 'garp' | 'unsolicited-na';
  address: string;
  mac: string;
}

/** Result of decoding one frame. `ha` is set for CARP/VRRP/pfsync/conntrackd; `claim` for GARP/NA. */
export interface DecodedFrame {
  link: LinkInfo;
  ip?: IpInfo;
  ha?: HaPayload;
  claim?: AddressClaim;
  /** Problem found while decoding (truncated header, unsupported link type N, IP 112 payload that is neither CARP nor VRRP, ...). */
  problem?: DecodeProblem;
}

export type DecodeProblemCode = 'unsupported-link-type' | 'truncated' | 'malformed' | 'unknown-112';

export interface DecodeProblem {
  code: DecodeProblemCode;
  message: string;
}
