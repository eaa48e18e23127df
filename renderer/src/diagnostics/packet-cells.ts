import { counterText, hmacText, NO_STRING, FLAG_CHECKSUM_OK, type PacketColumns } from './packet-columns.js';
import { formatOffset } from './format.js';
import type { SortKey } from './table-view.js';

export interface PacketColumn {
  id: string;
  label: string;
  sort?: SortKey;
  /** Text that may not fit its column: the cell repeats it as a tooltip. */
  long?: boolean;
  /** Marks cells worth a second look (TTL not 255, bad checksum, HMAC failure). */
  warn?(cols: PacketColumns, row: number): boolean;
  text(cols: PacketColumns, row: number, startTime: number): string;
}

const KIND_LABEL = ['CARP', 'VRRPv2', 'VRRPv3'];

export const PACKET_COLUMNS: PacketColumn[] = [
  { id: 'frame', label: 'No.', sort: 'frame', text: (c, r) => String(c.frame[r]) },
  { id: 'time', label: 'Time (s)', sort: 'time', text: (c, r, t0) => formatOffset(c.time[r] - t0) },
  { id: 'kind', label: 'Protocol', sort: 'kind', text: (c, r) => KIND_LABEL[c.kind[r]] },
  { id: 'group', label: 'Group', sort: 'group', text: (c, r) => c.strings[c.group[r]] },
  { id: 'src', label: 'Source', sort: 'src', long: true, text: (c, r) => c.strings[c.src[r]] },
  { id: 'mac', label: 'Source MAC', text: (c, r) => (c.srcMac[r] === NO_STRING ? '' : c.strings[c.srcMac[r]]) },
  { id: 'ttl', label: 'TTL', sort: 'ttl', warn: (c, r) => c.ttl[r] !== 255, text: (c, r) => String(c.ttl[r]) },
  {
    id: 'interval',
    label: 'Interval',
    sort: 'interval',
    text: (c, r) => (c.kind[r] === 0 ? `${c.interval[r]} s` : `${+c.interval[r].toFixed(2)} s`),
  },
  { id: 'skew', label: 'Skew/Prio', sort: 'skewOrPriority', text: (c, r) => String(c.skewOrPriority[r]) },
  { id: 'demote', label: 'Demote', text: (c, r) => (c.kind[r] === 0 ? String(c.demote[r]) : '') },
  { id: 'counter', label: 'Counter', long: true, text: (c, r) => (c.kind[r] === 0 ? counterText(c, r) : '') },
  { id: 'hmac', label: 'HMAC', warn: (c, r) => hmacText(c, r) === 'bad', text: hmacText },
  {
    id: 'checksum',
    label: 'Checksum',
    sort: 'checksum',
    warn: (c, r) => !(c.flags[r] & FLAG_CHECKSUM_OK),
    text: (c, r) => (c.flags[r] & FLAG_CHECKSUM_OK ? 'ok' : 'bad'),
  },
  { id: 'addresses', label: 'VRRP addresses', long: true, text: (c, r) => (c.addresses[r] === NO_STRING ? '' : c.strings[c.addresses[r]]) },
];
