// The tests on the wire, on every VIP segment at once: both nodes listen (tcpdump) while each sends marked test
// packets to 224.0.0.18; afterwards each node's capture tells which CARP vhids / VRRP vrids are in use on the
// segment and whether the other node's test packets arrived. With a virtual MAC chosen, a second short round sends
// frames from 00:00:5e:00:01:<vhid> (a vhid nobody was heard using) and checks the peer receives them.
import type { NodeRole } from '../../../../shared/pairing/schema.js';
import { decodeFrame } from '../../../../shared/protocol/decode.js';
import { startCapture, type CapturedFrame } from './capture.js';
import { findMarker, probeFrame, sendProbes, virtualMac, type ProbeKind, type SendResult } from './probe.js';
import type { PreflightSession, Privilege } from './session.js';
import type { VipSegment } from './segments.js';

export const ROLES: readonly NodeRole[] = ['primary', 'secondary'];

export interface Speaker {
  protocol: 'CARP' | 'VRRPv2' | 'VRRPv3';
  vhid: number;
  src: string;
  /** CARP advskew or VRRP priority, for the detail. */
  rank: string;
}

/** What one node saw on one segment. */
export interface Heard {
  speakers: Speaker[];
  /** Marked probes that arrived, by sender and kind (only frames from the virtual MAC count as vmac). */
  probes: { from: NodeRole; kind: ProbeKind; srcMac?: string }[];
}

export function analyseFrames(frames: readonly CapturedFrame[], nonce: string): Heard {
  const speakers = new Map<string, Speaker>();
  const probes: Heard['probes'] = [];
  for (const f of frames) {
    const marker = findMarker(f.data);
    const decoded = decodeFrame(f.linkType, f.data);
    if (marker) {
      if (marker.nonce === nonce) probes.push({ from: marker.from, kind: marker.kind, srcMac: decoded?.link.srcMac });
      continue;
    }
    const ha = decoded?.ha;
    const src = decoded?.ip?.src ?? '?';
    if (ha?.kind === 'carp') speakers.set(`c${ha.vhid}${src}`, { protocol: 'CARP', vhid: ha.vhid, src, rank: `advskew ${ha.advskew}` });
    else if (ha?.kind === 'vrrp2' || ha?.kind === 'vrrp3') speakers.set(`v${ha.vrid}${src}`, { protocol: ha.kind === 'vrrp2' ? 'VRRPv2' : 'VRRPv3', vhid: ha.vrid, src, rank: `priority ${ha.priority}` });
  }
  return { speakers: [...speakers.values()].sort((a, b) => a.vhid - b.vhid), probes };
}

export interface WireNode {
  session: PreflightSession;
  privilege: Privilege;
  /** Each interface's own MAC (null when it has none: not Ethernet). */
  macs: Record<string, string | null>;
  /** Whether tcpdump, python3 and timeout are there. */
  tools: boolean;
}

export interface WireOptions {
  listenSeconds: number;
  nonce: string;
  /** Addresses of both nodes: adverts from them are this pair's own (e.g. carpd already running). */
  pairAddresses: readonly string[];
  virtualMac: boolean;
  /** vhids the plan means to use, by segment name. */
  plannedVhids: Record<string, number[]>;
}

export interface SegmentResult {
  segment: VipSegment;
  heard: Partial<Record<NodeRole, Heard>>;
  captureErrors: Partial<Record<NodeRole, string>>;
  sends: Partial<Record<NodeRole, SendResult>>;
  vmac?: { vhid: number; heard: Partial<Record<NodeRole, Heard>>; captureErrors: Partial<Record<NodeRole, string>>; sends: Partial<Record<NodeRole, SendResult>> };
}

const PROBES = 5;

async function round(
  nodes: Record<NodeRole, WireNode>,
  segments: readonly VipSegment[],
  seconds: number,
  send: (role: NodeRole) => Promise<Map<string, SendResult>>,
): Promise<{ errors: Partial<Record<NodeRole, string>>[]; sends: Partial<Record<NodeRole, SendResult>>[]; frames: Partial<Record<NodeRole, CapturedFrame[]>>[] }> {
  const caps = await Promise.all(
    segments.map(async (seg) => {
      const out: Partial<Record<NodeRole, Awaited<ReturnType<typeof startCapture>>>> = {};
      for (const role of ROLES) out[role] = await startCapture(nodes[role].session, nodes[role].privilege, seg.pair![role].iface, seconds);
      return out;
    }),
  );
  await Promise.all(caps.flatMap((c) => ROLES.map((r) => c[r]!.ready)));
  const [pSent, sSent] = await Promise.all(ROLES.map(send));
  const sent: Record<NodeRole, Map<string, SendResult>> = { primary: pSent, secondary: sSent };
  const results = await Promise.all(caps.map(async (c) => ({ primary: await c.primary!.done, secondary: await c.secondary!.done })));
  return {
    errors: results.map((r) => Object.fromEntries(ROLES.flatMap((role) => (r[role].error ? [[role, r[role].error]] : [])))),
    sends: segments.map((seg) => Object.fromEntries(ROLES.map((role) => [role, sent[role].get(seg.pair![role].iface) ?? { sent: 0, error: 'nothing sent' }]))),
    frames: results.map((r) => ({ primary: r.primary.frames, secondary: r.secondary.frames })),
  };
}

export async function runWireTests(nodes: Record<NodeRole, WireNode>, segments: readonly VipSegment[], o: WireOptions): Promise<SegmentResult[]> {
  const testable = segments.filter((s) => s.pair);
  const main = await round(nodes, testable, o.listenSeconds, async (role) => {
    const jobs = testable.map((seg) => {
      const { iface, address } = seg.pair![role];
      const mac = nodes[role].macs[iface];
      return { iface, mac, frame: mac ? probeFrame({ nonce: o.nonce, from: role, kind: 'mcast' }, mac, address) : undefined };
    });
    const sent = await sendProbes(nodes[role].session, nodes[role].privilege, jobs.flatMap((j) => (j.frame ? [{ iface: j.iface, frame: j.frame }] : [])), PROBES);
    for (const j of jobs) if (!j.frame) sent.set(j.iface, { sent: 0, error: `${j.iface} has no MAC address: carpd needs an Ethernet interface` });
    return sent;
  });
  const results: SegmentResult[] = testable.map((segment, i) => ({
    segment,
    heard: { primary: analyseFrames(main.frames[i].primary ?? [], o.nonce), secondary: analyseFrames(main.frames[i].secondary ?? [], o.nonce) },
    captureErrors: main.errors[i],
    sends: main.sends[i],
  }));
  if (!o.virtualMac) return results;

  const vhids = results.map((r) => {
    const used = ROLES.flatMap((role) => r.heard[role]?.speakers.map((s) => s.vhid) ?? []);
    const planned = (o.plannedVhids[r.segment.name] ?? []).find((v) => !used.includes(v));
    if (planned !== undefined) return planned;
    let v = 255;
    while (used.includes(v) && v > 1) v--;
    return v;
  });
  const vm = await round(nodes, testable, 2, (role) =>
    sendProbes(
      nodes[role].session,
      nodes[role].privilege,
      testable.map((seg, i) => {
        const { iface, address } = seg.pair![role];
        return { iface, frame: probeFrame({ nonce: o.nonce, from: role, kind: 'vmac' }, virtualMac(vhids[i]), address) };
      }),
      3,
    ),
  );
  results.forEach((r, i) => {
    r.vmac = {
      vhid: vhids[i],
      heard: { primary: analyseFrames(vm.frames[i].primary ?? [], o.nonce), secondary: analyseFrames(vm.frames[i].secondary ?? [], o.nonce) },
      captureErrors: vm.errors[i],
      sends: vm.sends[i],
    };
  });
  return results;
}

/** The vhids each node heard on each segment (for NodeFacts.vhidsInUse). */
export function vhidsInUse(results: readonly SegmentResult[], role: NodeRole): Record<string, number[]> {
  return Object.fromEntries(results.map((r) => [r.segment.name, [...new Set(r.heard[role]?.speakers.map((s) => s.vhid) ?? [])].sort((a, b) => a - b)]));
}
