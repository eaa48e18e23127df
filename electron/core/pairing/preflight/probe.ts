// The test packets: IP protocol 112 to 224.0.0.18 with TTL 255, sent as whole Ethernet frames on a packet socket
// exactly as carpd sends its adverts (carpd also receives through pcap, as tcpdump does here), but with version 0 in
// the first byte so no CARP or VRRP speaker on the segment takes them for an advert. The payload carries a marker
// with this run's nonce, which node sent it and how. A fixed python3 script on the node (present on Debian) sends
// the frames, which are built here: from the interface's own MAC for the multicast test, from the virtual MAC
// 00:00:5e:00:01:<vhid> for the virtual-MAC test.
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

/** A probe frame from `srcMac` (the interface's own, or the virtual MAC). */
export function probeFrame(m: Marker, srcMac: string, src: string): Uint8Array {
  return buildCarpFrame({ family: 4, srcMac, src, tos: 0, carp: markerPayload(m) });
}

// One process per node sends on every segment: count, gap, then (interface, hex frame) pairs. It reports per
// interface on stdout ("sent IFACE N" / "fail IFACE why"), so one bad interface spoils no other.
const SENDER = `import socket, sys, time
count, gap, rest = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
jobs = []
for i in range(0, len(rest) - 1, 2):
    ifname, frame = rest[i], bytes.fromhex(rest[i + 1])
    try:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind((ifname, 0))
        jobs.append([ifname, s, frame, 0, None])
    except OSError as e:
        print('fail', ifname, e, flush=True)
for n in range(count):
    for job in jobs:
        if job[4] is None:
            try:
                job[1].send(job[2])
                job[3] += 1
            except OSError as e:
                job[4] = e
    if n + 1 < count:
        time.sleep(gap)
for ifname, _, _, sent, err in jobs:
    print('fail', ifname, err, flush=True) if err is not None and sent == 0 else print('sent', ifname, sent, flush=True)
`;

export interface SendResult {
  sent: number;
  error?: string;
}

export interface ProbeJob {
  iface: string;
  frame: Uint8Array;
}

/** The sender's report, per interface; an interface it never mentioned gets the process's own error. */
export function parseSendReport(stdout: string, stderr: string, ifaces: readonly string[]): Map<string, SendResult> {
  const out = new Map<string, SendResult>();
  for (const line of stdout.split('\n')) {
    const m = /^(sent|fail) (\S+) (.*)$/.exec(line.trim());
    if (!m) continue;
    out.set(m[2], m[1] === 'sent' ? { sent: Number(m[3]) } : { sent: 0, error: `python3 could not send the test packets on ${m[2]}: ${m[3]}` });
  }
  const why = stderr.trim().split('\n').pop() || 'it stopped without a word';
  for (const iface of ifaces) if (!out.has(iface)) out.set(iface, { sent: 0, error: `python3 could not send the test packets on ${iface}: ${why}` });
  return out;
}

/** Sends `count` frames on each job's interface, `gapS` apart. */
export async function sendProbes(session: PreflightSession, privilege: Privilege, jobs: readonly ProbeJob[], count: number, gapS = 0.1): Promise<Map<string, SendResult>> {
  // two VIP subnets on one interface share its probes
  const unique = [...new Map(jobs.map((j) => [j.iface, j])).values()];
  const args = unique.flatMap((j) => [j.iface, toHex(j.frame)]);
  const r = await session.exec(asRoot(privilege, ['python3', '-c', SENDER, String(count), String(gapS), ...args]));
  return parseSendReport(r.stdout, r.stderr, jobs.map((j) => j.iface));
}
