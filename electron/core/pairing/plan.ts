// The proposed cluster, from what preflight found: per VIP segment (LAN, and WAN when both nodes have one) a VIP at
// a free host address, a vhid nobody uses there, a random password; advskew 0 / 100; the dedicated sync link for
// state and config sync. A pair paired before keeps the vhid groups it runs (current-pair.ts). `planProblems` checks
// a plan (proposed or edited by the user, IPv4 and IPv6 VIPs) against the same facts.
import type { ClusterPlan, NodeFacts, NodeRole, PlanVip, PreflightReport } from '../../../shared/pairing/schema.js';
import { keptGroups, keptProblems, ownVhids, type CurrentSecrets, type Nodes, type SegmentRole } from './current-pair.js';
import { formatV4, hostAddresses, networkText, parseV4, usableCount, type V4Net } from './ipv4.js';
import { parseV6Cidr, v6Text } from './ipv6.js';
import { byteLength, randomPassword } from './secrets.js';
import { ifaceV4, isV6Text, vipAddressProblems } from './vip-address.js';

export { ifaceV4 } from './vip-address.js';
export type { SegmentRole } from './current-pair.js';
export const VIP_ROLES: readonly SegmentRole[] = ['lan', 'wan'];

export interface PlanDeps {
  /** True when `address` answers on the segment (someone holds it): it cannot be the VIP. */
  addressInUse?: (role: SegmentRole, address: string) => Promise<boolean>;
  password?: () => string;
  /** The groups (with passwords) carpd runs on each node now: a pair paired before keeps them. */
  current?: CurrentSecrets;
}

export function factsOf(report: PreflightReport, role: NodeRole): NodeFacts {
  const f = report.nodes.find((n) => n.role === role);
  if (!f) throw new PlanError(`the preflight has no facts about the ${role} node: run the preflight again`);
  return f;
}

export class PlanError extends Error {
  readonly code = 'plan-impossible';
  readonly where = 'plan';
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

/** vhids heard on a segment: the preflight keys them by role, interface name or network; every form is taken. */
export function vhidsHeard(facts: NodeFacts[], role: SegmentRole): Set<number> {
  const out = new Set<number>();
  for (const f of facts) {
    const ifname = f.roles[role];
    const net = ifaceV4(f, ifname);
    const keys = new Set([role, ifname, net && networkText(net)].filter((k): k is string => !!k));
    for (const [k, v] of Object.entries(f.vhidsInUse)) if (keys.has(k)) v.forEach((x) => out.add(x));
  }
  return out;
}

/** The VIP candidates of a subnet in the order a person would pick them: first host, last host, then the rest. */
function candidates(net: V4Net, taken: Set<number>): number[] {
  const hosts = hostAddresses(net);
  const ordered = [hosts[0], hosts[hosts.length - 1], ...hosts.slice(1, -1)].filter((a) => a !== undefined);
  return ordered.filter((a) => !taken.has(a));
}

export async function proposePlan(report: PreflightReport, deps: PlanDeps = {}): Promise<{ plan: ClusterPlan; problems: string[] }> {
  const primary = factsOf(report, 'primary');
  const secondary = factsOf(report, 'secondary');
  const password = deps.password ?? (() => randomPassword());
  const problems: string[] = [];
  const vips: PlanVip[] = [];
  const kept = Object.fromEntries(VIP_ROLES.map((r) => [r, keptGroups({ primary, secondary }, r, deps.current ?? {})])) as Record<SegmentRole, PlanVip[]>;
  const usedVhids = new Set(VIP_ROLES.flatMap((r) => kept[r].map((v) => v.vhid)));
  for (const role of VIP_ROLES) {
    const ifP = primary.roles[role];
    const ifS = secondary.roles[role];
    if (!ifP || !ifS) {
      if (role === 'lan') problems.push('no LAN segment shared by both nodes was found: connect both to the same LAN subnet and run the preflight again');
      continue;
    }
    if (kept[role].length > 0) {
      vips.push(...kept[role]);
      continue;
    }
    const netP = ifaceV4(primary, ifP);
    const netS = ifaceV4(secondary, ifS);
    if (!netP || !netS) {
      problems.push(`${role}: ${!netP ? `${primary.hostname}'s ${ifP}` : `${secondary.hostname}'s ${ifS}`} has no IPv4 address; give it one in the ${role.toUpperCase()} subnet`);
      continue;
    }
    if (usableCount(netP.bits) < 3) {
      problems.push(`${role}: ${networkText(netP)} has only ${usableCount(netP.bits)} usable address(es); CARP needs three (one per node and the VIP): use a /29 or larger`);
      continue;
    }
    const taken = new Set([netP.address, netS.address]);
    let vip: number | undefined;
    for (const a of candidates(netP, taken)) {
      if (!deps.addressInUse || !(await deps.addressInUse(role, formatV4(a)))) {
        vip = a;
        break;
      }
    }
    if (vip === undefined) {
      problems.push(`${role}: no free address left in ${networkText(netP)} for the VIP`);
      continue;
    }
    const heard = vhidsHeard([primary, secondary], role);
    const vhid = pickVhid(vip & 255, (v) => heard.has(v) || usedVhids.has(v));
    if (vhid === undefined) {
      problems.push(`${role}: every vhid 1..255 is in use on the segment`);
      continue;
    }
    usedVhids.add(vhid);
    vips.push({ role, vhid, vips: [`${formatV4(vip)}/${netP.bits}`], interfaces: { primary: ifP, secondary: ifS }, password: password(), advbase: 1 });
  }
  const syncP = primary.roles.sync;
  const syncS = secondary.roles.sync;
  const syncAddrP = ifaceV4(primary, syncP);
  const syncAddrS = ifaceV4(secondary, syncS);
  if (!syncP || !syncS || !syncAddrP || !syncAddrS) problems.push('no dedicated sync link was found (an interface on both nodes in a subnet of its own): cable one and run the preflight again');
  const fallback = vips.find((v) => v.role === 'lan');
  const plan: ClusterPlan = {
    name: clusterName(primary, secondary),
    vips: vips.length > 0 ? vips : [],
    advskew: { primary: 0, secondary: 100 },
    sync: {
      interfaces: { primary: syncP ?? fallback?.interfaces.primary ?? '', secondary: syncS ?? fallback?.interfaces.secondary ?? '' },
      addresses: { primary: syncAddrP ? formatV4(syncAddrP.address) : '', secondary: syncAddrS ? formatV4(syncAddrS.address) : '' },
    },
    stateSync: true,
    configSync: true,
    overrides: report.checks.filter((c) => c.status === 'fail' && c.overridable).map((c) => c.id),
  };
  return { plan, problems: [...problems, ...(problems.length === 0 ? planProblems(plan, report) : [])] };
}

/** A vhid starting at the VIP's last octet (the convention the field notes suggest), skipping those taken. */
export function pickVhid(preferred: number, taken: (v: number) => boolean): number | undefined {
  const start = preferred >= 1 && preferred <= 255 ? preferred : 1;
  for (let i = 0; i < 255; i++) {
    const v = ((start - 1 + i) % 255) + 1;
    if (!taken(v)) return v;
  }
  return undefined;
}

function clusterName(a: NodeFacts, b: NodeFacts): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9.-]/g, '').slice(0, 30) || 'node';
  return `${clean(a.hostname)}+${clean(b.hostname)}`;
}

/** Every reason the plan cannot be applied to these nodes, in plain words (empty: it can). */
export function planProblems(plan: ClusterPlan, report: PreflightReport): string[] {
  const nodes: Nodes = { primary: factsOf(report, 'primary'), secondary: factsOf(report, 'secondary') };
  const out: string[] = [];
  if (plan.vips.length === 0) out.push('the plan has no VIP: add at least the LAN VIP');
  if (plan.advskew.primary >= plan.advskew.secondary) out.push(`advskew: the primary's (${plan.advskew.primary}) must be lower than the secondary's (${plan.advskew.secondary}), or the secondary would be master`);
  const perIface = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const [i, v] of plan.vips.entries()) {
    const where = `VIP ${i + 1} (${v.role}, vhid ${v.vhid})`;
    if (byteLength(v.password) > 19) out.push(`${where}: the password is ${byteLength(v.password)} bytes; CARP uses at most 19`);
    if (!/^[\x21-\x7e]+$/.test(v.password)) out.push(`${where}: the password must be printable ASCII without spaces`);
    // the pair's own groups are heard too (a re-pair): only another speaker's vhid is taken
    const heard = vhidsHeard([nodes.primary, nodes.secondary], v.role);
    if (heard.has(v.vhid) && !ownVhids(nodes, v.role).has(v.vhid)) out.push(`${where}: vhid ${v.vhid} is already used on the ${v.role.toUpperCase()} segment (heard during the preflight); choose another`);
    if (v.kept) out.push(...keptProblems(where, v, nodes));
    for (const text of v.vips) {
      const key = addressKey(text);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else out.push(first === i ? `${where}: ${text} is listed twice` : `${where}: ${text} is also in VIP ${first + 1}; each address belongs to one group`);
    }
    for (const role of ['primary', 'secondary'] as const) {
      const f = nodes[role];
      const ifname = v.interfaces[role];
      const key = `${role}:${ifname}:${v.vhid}`;
      if (perIface.has(key)) out.push(`${where}: vhid ${v.vhid} appears twice on ${f.hostname}'s ${ifname}`);
      perIface.set(key, i);
      if (!f.interfaces.some((x) => x.name === ifname)) {
        out.push(`${where}: ${f.hostname} has no interface "${ifname}"`);
        continue;
      }
      for (const text of v.vips) out.push(...vipAddressProblems(where, text, f, ifname));
    }
  }
  if (plan.stateSync || plan.configSync) {
    for (const role of ['primary', 'secondary'] as const) {
      const f = nodes[role];
      const ifname = plan.sync.interfaces[role];
      const addr = plan.sync.addresses[role];
      const net = ifaceV4(f, ifname);
      if (!net) out.push(`sync: ${f.hostname} has no IPv4 address on "${ifname}"`);
      else if (parseV4(addr) !== net.address) out.push(`sync: ${addr || '(empty)'} is not ${f.hostname}'s address on ${ifname} (${formatV4(net.address)})`);
      const shared = plan.vips.find((v) => v.interfaces[role] === ifname);
      if (shared && !plan.overrides.includes('sync-interface')) out.push(`sync: ${f.hostname}'s sync interface ${ifname} also carries the ${shared.role.toUpperCase()} VIP; use a dedicated link (or override the sync-interface check)`);
    }
  }
  const blocking = report.checks.filter((c) => c.status === 'fail' && !(c.overridable && plan.overrides.includes(c.id)));
  for (const c of blocking) out.push(`preflight: ${c.title}${c.node ? ` on the ${c.node}` : ''} failed: ${c.detail}${c.fix ? ` (fix: ${c.fix})` : ''}`);
  return out;
}

/** An address as compared for duplicates: IPv6 in its canonical form, without the prefix length. */
function addressKey(text: string): string {
  const v6 = isV6Text(text) ? parseV6Cidr(text) : undefined;
  return v6 ? v6Text(v6.address) : text.split('/')[0].trim();
}

/**
 * The plan with a person's IPv6 VIP on a segment: in that segment's group, beside its IPv4 VIP (one vhid for both
 * families, as carpd allows), or in a group of its own with a new vhid when `ownVhid` is asked or the segment's
 * group is kept (its addresses are part of its authentication: adding one would change it while the pair runs).
 * `planProblems` then checks the address.
 */
export function withIpv6Vip(plan: ClusterPlan, report: PreflightReport, role: SegmentRole, address: string, opts: { ownVhid?: boolean; password?: () => string } = {}): ClusterPlan {
  const nodes: Nodes = { primary: factsOf(report, 'primary'), secondary: factsOf(report, 'secondary') };
  const text = address.trim();
  if (!isV6Text(text)) throw new PlanError(`"${text}" is not an IPv6 address with prefix length such as 2001:db8:1::1/64`);
  const join = opts.ownVhid ? undefined : plan.vips.findIndex((v) => v.role === role && !v.kept);
  if (join !== undefined && join >= 0) return { ...plan, vips: plan.vips.map((v, i) => (i === join ? { ...v, vips: [...v.vips, text] } : v)) };
  const same = plan.vips.find((v) => v.role === role);
  const ifP = same?.interfaces.primary ?? nodes.primary.roles[role];
  const ifS = same?.interfaces.secondary ?? nodes.secondary.roles[role];
  if (!ifP || !ifS) throw new PlanError(`the nodes share no ${role.toUpperCase()} segment for ${text}: the preflight found no ${role.toUpperCase()} interface on both`);
  const heard = vhidsHeard([nodes.primary, nodes.secondary], role);
  const own = ownVhids(nodes, role);
  const v6 = parseV6Cidr(text);
  const vhid = pickVhid(v6 ? v6.address[15] : 1, (v) => heard.has(v) || own.has(v) || plan.vips.some((x) => x.vhid === v));
  if (vhid === undefined) throw new PlanError(`every vhid 1..255 is in use on the ${role.toUpperCase()} segment: no group of its own for ${text}`);
  const vip: PlanVip = { role, vhid, vips: [text], interfaces: { primary: ifP, secondary: ifS }, password: (opts.password ?? (() => randomPassword()))(), advbase: same?.advbase ?? 1 };
  return { ...plan, vips: [...plan.vips, vip] };
}
