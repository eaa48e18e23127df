// The verdicts on what the wire tests saw: vhids in use on each segment, multicast both ways, the virtual MAC.
import type { NodeRole, PreflightCheck } from '../../../../shared/pairing/schema.js';
import { fail, listWords, pass, skipped, warn } from './check.js';
import { virtualMac } from './probe.js';
import type { VipSegment } from './segments.js';
import { ROLES, type SegmentResult, type Speaker, type WireOptions } from './wire.js';

const other = (n: NodeRole): NodeRole => (n === 'primary' ? 'secondary' : 'primary');

/** "1-41, 43-255" */
export function freeRanges(used: readonly number[]): string {
  const taken = new Set(used);
  const out: string[] = [];
  for (let v = 1; v <= 255; v++) {
    if (taken.has(v)) continue;
    let end = v;
    while (end < 255 && !taken.has(end + 1)) end++;
    out.push(v === end ? String(v) : `${v}-${end}`);
    v = end;
  }
  return out.join(', ') || 'none';
}

const describeSpeaker = (s: Speaker, pair: readonly string[]) => `${s.protocol} ${s.protocol === 'CARP' ? 'vhid' : 'vrid'} ${s.vhid} from ${s.src} (${s.rank}${pair.includes(s.src) ? ', this pair' : ''})`;

export function vhidCheck(r: SegmentResult, o: WireOptions): PreflightCheck {
  const name = r.segment.name;
  const base = { id: 'vhid-free', node: null, title: `vhids in use on ${name}`, segment: name };
  const listened = ROLES.filter((role) => !r.captureErrors[role]);
  if (listened.length === 0) return warn({ ...base, detail: `could not listen on ${name}: ${ROLES.map((role) => r.captureErrors[role]).join('; ')}`, fix: 'make tcpdump work on both nodes (installed, run as root) and run the preflight again' });
  const speakers = new Map<string, Speaker>();
  for (const role of listened) for (const s of r.heard[role]?.speakers ?? []) speakers.set(`${s.protocol}${s.vhid}${s.src}`, s);
  const all = [...speakers.values()];
  const foreign = all.filter((s) => !o.pairAddresses.includes(s.src));
  const used = [...new Set(all.map((s) => s.vhid))].sort((a, b) => a - b);
  const where = `listened ${o.listenSeconds} s on ${listWords(listened.map((role) => `the ${role}'s ${r.segment.pair![role].iface}`))}`;
  const clash = (o.plannedVhids[name] ?? []).filter((v) => foreign.some((s) => s.vhid === v));
  const free = freeRanges(used);
  if (clash.length > 0) {
    return fail({
      ...base,
      detail: `${where}: the planned vhid ${listWords(clash.map(String))} is already used by ${listWords(foreign.filter((s) => clash.includes(s.vhid)).map((s) => describeSpeaker(s, o.pairAddresses)))}; CARP and VRRP share the virtual MACs 00:00:5e:00:01:xx`,
      fix: `pick another vhid for ${name}; free: ${free}`,
    });
  }
  if (foreign.length > 0) {
    return warn({
      ...base,
      detail: `${where}: heard ${listWords(foreign.map((s) => describeSpeaker(s, o.pairAddresses)))}; CARP and VRRP share the virtual MACs 00:00:5e:00:01:xx, so those ids are taken on this segment`,
      fix: `use a vhid other than ${listWords([...new Set(foreign.map((s) => String(s.vhid)))])} on ${name}; free: ${free}`,
    });
  }
  const own = all.length ? `; only this pair's own ${listWords(all.map((s) => describeSpeaker(s, o.pairAddresses)))}` : ': no CARP or VRRP advertisement';
  return pass({ ...base, detail: `${where}${own}; free: ${free}` });
}

const MCAST_FIX =
  'multicast to 224.0.0.18 (IP protocol 112) is dropped between the nodes: on the switch, turn IGMP snooping off for this VLAN or give it an IGMP querier, and check storm control; in a hypervisor, allow multicast on the virtual switch; make sure no nftables rule on a Linux bridge in between drops IP protocol 112 or 224.0.0.18 (nft list ruleset there); or configure unicast CARP to the peer\'s address';

export function multicastCheck(r: SegmentResult): PreflightCheck {
  const name = r.segment.name;
  const base = { id: 'multicast', node: null, title: `Advertisements pass both ways on ${name}`, segment: name };
  const directions = ROLES.map((from) => {
    const to = other(from);
    const sent = r.sends[from];
    const got = r.heard[to]?.probes.filter((p) => p.from === from && p.kind === 'mcast').length ?? 0;
    const iface = (role: NodeRole) => r.segment.pair![role].iface;
    const label = `${from} ${iface(from)} → ${to} ${iface(to)}`;
    if (!sent || sent.error) return { ok: null as boolean | null, text: `${label}: not tested (${sent?.error ?? 'nothing sent'})` };
    if (r.captureErrors[to]) return { ok: null, text: `${label}: not tested (${r.captureErrors[to]})` };
    return { ok: got > 0, text: `${label}: ${got} of ${sent.sent} test adverts arrived` };
  });
  const detail = directions.map((d) => d.text).join('; ');
  if (directions.some((d) => d.ok === false)) return fail({ ...base, detail, fix: MCAST_FIX });
  if (directions.some((d) => d.ok === null)) return warn({ ...base, detail, fix: 'install tcpdump and python3 on both nodes (the remedy does it) and run the preflight as root, then test again' });
  return pass({ ...base, detail });
}

export function virtualMacCheck(r: SegmentResult, chosen: boolean): PreflightCheck {
  const name = r.segment.name;
  const base = { id: 'virtual-mac', node: null, title: `Virtual MAC accepted on ${name}`, segment: name };
  if (!chosen) return skipped({ ...base, detail: NO_VMAC });
  const untestable = 'send frames from 00:00:5e:00:01:<vhid> on this segment by hand (or install tcpdump and python3 and run the preflight as root) before relying on the virtual MAC';
  if (!r.vmac) return warn({ ...base, detail: 'could not test: the listening round did not run', fix: untestable });
  const mac = virtualMac(r.vmac.vhid);
  const vm = r.vmac;
  const directions = ROLES.map((from) => {
    const to = other(from);
    const sent = vm.sends[from];
    if (!sent || sent.error || vm.captureErrors[to]) return { ok: null as boolean | null, text: `${from} → ${to}: not tested (${sent?.error ?? vm.captureErrors[to] ?? 'nothing sent'})` };
    const got = vm.heard[to]?.probes.filter((p) => p.from === from && p.kind === 'vmac' && p.srcMac === mac).length ?? 0;
    return { ok: got > 0, text: `${from} → ${to}: ${got} of ${sent.sent} frames from ${mac} arrived` };
  });
  const detail = directions.map((d) => d.text).join('; ');
  if (directions.some((d) => d.ok === false)) {
    return fail({
      ...base,
      detail,
      fix: `something between the nodes drops frames from the virtual MAC ${mac}: switch port security or sticky MAC, or a hypervisor filter (VMware: allow MAC address changes and forged transmits; Proxmox: turn off the MAC filter on the bridge port); allow it, or use the real-MAC mode`,
    });
  }
  if (directions.some((d) => d.ok === null)) return warn({ ...base, detail, fix: untestable });
  return pass({ ...base, detail });
}

const NO_VMAC = 'no virtual MAC chosen: the VIPs move with gratuitous ARP from each node\'s own MAC';

/** The segment checks when the wire tests could not run there: warnings saying why (the virtual MAC skipped if not chosen). */
export function untestedChecks(seg: VipSegment, why: string, fix: string, virtualMacChosen: boolean): PreflightCheck[] {
  const base = { node: null, segment: seg.name };
  const vmac = { ...base, id: 'virtual-mac', title: `Virtual MAC accepted on ${seg.name}` };
  return [
    warn({ ...base, id: 'vhid-free', title: `vhids in use on ${seg.name}`, detail: `not listened: ${why}`, fix }),
    warn({ ...base, id: 'multicast', title: `Advertisements pass both ways on ${seg.name}`, detail: `not tested: ${why}`, fix }),
    virtualMacChosen ? warn({ ...vmac, detail: `not tested: ${why}`, fix }) : skipped({ ...vmac, detail: NO_VMAC }),
  ];
}
