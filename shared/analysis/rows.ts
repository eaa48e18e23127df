// The report's rows: one per CARP/VRRP advertisement and one per pfsync/conntrackd packet.
import type { ConntrackdPacket, DecodedFrame, PfsyncPacket } from '../protocol/types.js';
import type { Observation } from './observation.js';
import type { AdvertRow, SyncRow } from './types.js';

/** The advertisement's row; for CARP `hmac` is filled in by the caller. */
export function advertRow(o: Observation): AdvertRow {
  const row: AdvertRow = {
    frame: o.frame,
    time: o.time,
    kind: o.kind,
    src: o.src,
    srcMac: o.srcMac,
    dst: o.ip.dst,
    ttl: o.ip.ttl,
    vhid: o.vhid,
    group: o.groupId,
    checksumOk: o.ha.checksumOk,
  };
  if (o.ha.kind === 'carp') {
    row.advbase = o.ha.advbase;
    row.advskew = o.ha.advskew;
    row.demote = o.ha.demote;
    row.counter = o.ha.counter.toString();
  } else {
    row.priority = o.ha.priority;
    row.intervalCs = o.ha.intervalCs;
    row.addresses = o.ha.addresses;
  }
  return row;
}

export function syncRow(frame: number, time: number, decoded: DecodedFrame, ha: PfsyncPacket | ConntrackdPacket): SyncRow | null {
  if (!decoded.ip) return null;
  const row: SyncRow = { frame, time, kind: ha.kind, src: decoded.ip.src, dst: decoded.ip.dst };
  if (ha.kind === 'pfsync') {
    row.version = ha.version;
    row.inserted = ha.inserted;
    row.updated = ha.updated;
    row.deleted = ha.deleted;
    row.bulkStart = ha.bulkStart;
    row.bulkEnd = ha.bulkEnd;
  } else {
    row.messages = ha.messages.map((m) => ({ type: m.typeName, seq: m.seq, flags: m.flags }));
  }
  return row;
}
