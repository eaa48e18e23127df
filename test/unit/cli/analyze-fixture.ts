// A small capture made with the real frame builders and pcap writer: a CARP pair (vhid 1, password "s3cret",
// VIP 10.0.1.100) with a takeover after silence, a VRRPv3 group, unrelated frames in between.
import { writePcap, type PacketRecord } from '../../../shared/capture/pcap-writer.js';
import { buildCarpFrame, buildEthernet, buildGratuitousArp, buildIpv4, ETHERTYPE_IPV4 } from '../../../shared/protocol/build.js';
import { carpHmac } from '../../../shared/protocol/carp-hmac.js';
import { encodeCarp } from '../../../shared/protocol/carp.js';
import { encodePfsync } from '../../../shared/protocol/pfsync.js';
import { encodeVrrp3 } from '../../../shared/protocol/vrrp.js';

export const T0 = 1_790_000_000;
export const VIP = '10.0.1.100';
export const PASSWORD = 's3cret';

function carp(src: string, counter: bigint, advskew: number): Uint8Array {
  const hmac = carpHmac(PASSWORD, 1, [VIP], counter);
  return buildCarpFrame({ family: 4, srcMac: '00:00:5e:00:01:01', src, carp: encodeCarp({ vhid: 1, advbase: 1, advskew, demote: 0, counter, hmac }) });
}

function vrrp3(src: string, priority: number): Uint8Array {
  const payload = encodeVrrp3({ family: 4, vrid: 42, priority, intervalCs: 100, addresses: ['10.0.2.100'], src });
  return buildEthernet('01:00:5e:00:00:12', '52:54:00:00:02:01', ETHERTYPE_IPV4, buildIpv4({ src, dst: '224.0.0.18', ttl: 255, tos: 0xc0, protocol: 112 }, payload));
}

function udp(): Uint8Array {
  const payload = new Uint8Array(8 + 40);
  payload[1] = 53;
  payload[3] = 53;
  payload[5] = payload.length;
  return buildEthernet('52:54:00:00:00:01', '52:54:00:00:00:02', ETHERTYPE_IPV4, buildIpv4({ src: '192.168.1.2', dst: '192.168.1.1', ttl: 64, tos: 0, protocol: 17 }, payload));
}

/** OpenBSD pfsync (version 6): 1 state inserted, 2 updated, 3 deleted (compressed). */
function pfsync(): Uint8Array {
  const payload = encodePfsync(6, [
    { action: 13, count: 1, recordSize: 264 },
    { action: 14, count: 2, recordSize: 264 },
    { action: 7, count: 3, recordSize: 12 },
  ]);
  return buildEthernet('01:00:5e:00:00:f0', '52:54:00:00:09:01', ETHERTYPE_IPV4, buildIpv4({ src: '10.0.9.1', dst: '224.0.0.240', ttl: 255, tos: 0, protocol: 240 }, payload));
}

/** Frame numbers: 1 udp, then per second CARP master + VRRP master + udp; A dies after t=4, B takes over at 7.5; pfsync last. */
export function fixtureCapture(): { bytes: Uint8Array; packets: number; carpFrames: number[]; takeoverFrame: number; pfsyncFrame: number; lastTime: number } {
  const records: PacketRecord[] = [];
  const at = (t: number, data: Uint8Array) => {
    const sec = Math.floor(t);
    records.push({ tsSec: T0 + sec, tsNsec: Math.round((t - sec) * 1e9), data });
    return records.length;
  };
  at(0, udp());
  const carpFrames: number[] = [];
  let counter = 100n;
  for (let t = 0; t < 5; t++) {
    carpFrames.push(at(t + 0.1, carp('10.0.1.1', counter++, 0)));
    at(t + 0.2, vrrp3('10.0.2.1', 200));
    at(t + 0.3, udp());
  }
  let takeoverFrame = 0;
  for (let t = 7.5; t < 12; t++) {
    const f = at(t, carp('10.0.1.2', counter++, 100));
    carpFrames.push(f);
    if (!takeoverFrame) {
      takeoverFrame = f;
      at(t + 0.01, buildGratuitousArp('00:00:5e:00:01:01', VIP));
    }
    at(t + 0.2, vrrp3('10.0.2.1', 200));
  }
  const pfsyncFrame = at(12.5, pfsync());
  return { bytes: writePcap({ linkType: 1 }, records), packets: records.length, carpFrames, takeoverFrame, pfsyncFrame, lastTime: T0 + 12.5 };
}
