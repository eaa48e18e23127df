// The test packets: IP protocol 112 to 224.0.0.18 with TTL 255, exactly as CARP adverts travel, but with version 0
// in the first byte so no CARP or VRRP speaker on the segment takes them for an advert. The payload carries a
// marker with this run's nonce, which node sent it and how. Sent by a fixed python3 script on the node (present on
// Debian); the virtual-MAC probe is a whole Ethernet frame (built here) sent on a packet socket.
import { buildCarpFrame } from '../../../../shared/protocol/build.js';
import { toHex } from '../../../../shared/util/addr.js';
import type { NodeRole } from '../../../../shared/pairing/schema.js';
import type { PreflightSession, Privilege } from './session.js';
import { asRoot } from './session.js';

const TAG = 'CARPDECK-PREFLIGHT';

export type ProbeKind = 'mcast' | 'vmac';

export interface Marker {
  nonce: string;
  from: NodeRole;
  kind: ProbeKind;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function markerPayload(m: Marker): Uint8Array {
  const text = encoder.encode(`${TAG} ${m.nonce} ${m.from} ${m.kind}`);
  const out = new Uint8Array(4 + text.length);
  out.set(text, 4);
  return out;
}

/** The marker inside a captured frame, if it holds one. */
export function findMarker(frame: Uint8Array): Marker | undefined {
  const tag = encoder.encode(TAG);
  outer: for (let i = 0; i + tag.length <= frame.length; i++) {
    for (let j = 0; j < tag.length; j++) if (frame[i + j] !== tag[j]) continue outer;
    const m = /^CARPDECK-PREFLIGHT ([0-9a-f]{16}) (primary|secondary) (mcast|vmac)/.exec(decoder.decode(frame.subarray(i, i + 64)));
    return m ? { nonce: m[1], from: m[2] as NodeRole, kind: m[3] as ProbeKind } : undefined;
  }
  return undefined;
}

export const virtualMac = (vhid: number): string => `00:00:5e:00:01:${vhid.toString(16).padStart(2, '0')}`;

export function vmacFrame(m: Marker, vhid: number, src: string): Uint8Array {
  return buildCarpFrame({ family: 4, srcMac: virtualMac(vhid), src, tos: 0, carp: markerPayload(m) });
}

const SENDER = `import socket, sys, time
mode, ifname, src, data, count, gap = sys.argv[1], sys.argv[2], sys.argv[3], bytes.fromhex(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
if mode == 'ip':
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    send = lambda: s.sendto(data, ('224.0.0.18', 0))
else:
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    send = lambda: s.send(data)
for i in range(count):
    send()
    if i + 1 < count:
        time.sleep(gap)
`;

export interface SendResult {
  sent: number;
  error?: string;
}

/** Sends `count` probes from the node: `ip` mode gives the marker payload to a raw IP socket, `frame` mode a whole frame. */
export async function sendProbes(session: PreflightSession, privilege: Privilege, mode: 'ip' | 'frame', iface: string, src: string, bytes: Uint8Array, count: number, gapS = 0.1): Promise<SendResult> {
  const r = await session.exec(asRoot(privilege, ['python3', '-c', SENDER, mode, iface, src, toHex(bytes), String(count), String(gapS)]));
  if (r.code === 0) return { sent: count };
  const why = (r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.code}`;
  return { sent: 0, error: `python3 could not send the test packets on ${iface}: ${why}` };
}
