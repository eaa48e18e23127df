// Finds a carpd beacon in a captured frame. shared/protocol's decoder only keeps HA traffic it knows (CARP, VRRP,
// pfsync, conntrackd) and returns null for other UDP, so discovery looks for the beacon port itself.
import { formatIpv4, formatIpv6, formatMac } from '../util/addr.js';
import { BEACON_PORT } from './beacon.js';

export interface BeaconDatagram {
  src: string;
  srcMac?: string;
  payload: Uint8Array;
}

const ET_IPV4 = 0x0800;
const ET_IPV6 = 0x86dd;
const P_UDP = 17;

/** The UDP payload of a datagram to the beacon port (Ethernet, Linux cooked or raw IP), or null. */
export function beaconDatagram(linkType: number, data: Uint8Array): BeaconDatagram | null {
  let off: number;
  let et: number;
  let srcMac: string | undefined;
  if (linkType === 1) {
    if (data.length < 14) return null;
    srcMac = formatMac(data, 6);
    et = (data[12] << 8) | data[13];
    off = 14;
    while ((et === 0x8100 || et === 0x88a8) && off + 4 <= data.length) {
      et = (data[off + 2] << 8) | data[off + 3];
      off += 4;
    }
  } else if (linkType === 113) {
    if (data.length < 16) return null;
    et = (data[14] << 8) | data[15];
    off = 16;
  } else if (linkType === 276) {
    if (data.length < 20) return null;
    et = (data[0] << 8) | data[1];
    off = 20;
  } else if (linkType === 101 || linkType === 228 || linkType === 229) {
    if (data.length < 1) return null;
    et = data[0] >> 4 === 6 ? ET_IPV6 : ET_IPV4;
    off = 0;
  } else return null;
  let src: string;
  let udp: number;
  if (et === ET_IPV4) {
    if (off + 20 > data.length || data[off] >> 4 !== 4 || data[off + 9] !== P_UDP) return null;
    if ((((data[off + 6] << 8) | data[off + 7]) & 0x3fff) !== 0) return null;
    src = formatIpv4(data, off + 12);
    udp = off + (data[off] & 0x0f) * 4;
  } else if (et === ET_IPV6) {
    if (off + 40 > data.length || data[off] >> 4 !== 6 || data[off + 6] !== P_UDP) return null;
    src = formatIpv6(data, off + 8);
    udp = off + 40;
  } else return null;
  if (udp + 8 > data.length || ((data[udp + 2] << 8) | data[udp + 3]) !== BEACON_PORT) return null;
  const ulen = (data[udp + 4] << 8) | data[udp + 5];
  const end = ulen >= 8 ? Math.min(udp + ulen, data.length) : data.length;
  return { src, srcMac, payload: data.subarray(udp + 8, end) };
}
