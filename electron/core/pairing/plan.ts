// The proposed cluster, from what preflight found: per VIP segment (LAN, and WAN when both nodes have one) a VIP at
// a free host address, a vhid nobody uses there, a random password; advskew 0 / 100; the dedicated sync link for
// state and config sync. `planProblems` checks a plan (proposed or edited by the user) against the same facts.
import type { ClusterPlan, NodeFacts, NodeRole, PlanVip, PreflightReport } from '../../../shared/pairing/schema.js';
import { contains, formatV4, hostAddresses, networkText, parseV4, parseV4Cidr, usableCount, type V4Net } from './ipv4.js';
import { byteLength, randomPassword } from './secrets.js';

export type SegmentRole = 'lan' | 'wan';
export const VIP_ROLES: readonly SegmentRole[] = ['lan', 'wan'];

export interface PlanDeps {
  /** True when `address` answers on the segment (someone holds it): it cannot be the VIP. */
  addressInUse?: (role: SegmentRole, address: string) => Promise<boolean>;
  password?: () => string;
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

/** The node's first IPv4 address (with prefix) on `ifname`. */
export function ifaceV4(f: NodeFacts, ifname: string | undefined): V4Net | undefined {
  const i = f.interfaces.find((x) => x.name === ifname);
  for (const a of i?.addresses ?? []) {
    const n = parseV4Cidr(a);
    if (n && a.includes('/')) return n;
  }
  return undefined;
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
  const usedVhids = new Set<number>();
  for (const role of VIP_ROLES) {
    const ifP = primary.roles[role];
    const ifS = secondary.roles[role];
    if (!ifP || !ifS) {
      if (role === 'lan') problems.push('no LAN segment shared by both nodes was found: connect both to the same LAN subnet and run the preflight again');
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
  const nodes = { primary: factsOf(report, 'primary'), secondary: factsOf(report, 'secondary') };
  const out: string[] = [];
  if (plan.vips.length === 0) out.push('the plan has no VIP: add at least the LAN VIP');
  if (plan.advskew.primary >= plan.advskew.secondary) out.push(`advskew: the primary's (${plan.advskew.primary}) must be lower than the secondary's (${plan.advskew.secondary}), or the secondary would be master`);
  const perIface = new Map<string, number>();
  for (const [i, v] of plan.vips.entries()) {
    const where = `VIP ${i + 1} (${v.role}, vhid ${v.vhid})`;
    if (byteLength(v.password) > 19) out.push(`${where}: the password is ${byteLength(v.password)} bytes; CARP uses at most 19`);
    if (!/^[\x21-\x7e]+$/.test(v.password)) out.push(`${where}: the password must be printable ASCII without spaces`);
    const heard = vhidsHeard([nodes.primary, nodes.secondary], v.role);
    if (heard.has(v.vhid)) out.push(`${where}: vhid ${v.vhid} is already used on the ${v.role.toUpperCase()} segment (heard during the preflight); choose another`);
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
      const net = ifaceV4(f, ifname);
      if (!net) {
        out.push(`${where}: ${f.hostname}'s ${ifname} has no IPv4 address`);
        continue;
      }
      for (const text of v.vips) {
        const vip = parseV4Cidr(text);
        if (!vip || !text.includes('/')) {
          out.push(`${where}: "${text}" is not an IPv4 address with prefix length such as 10.0.1.1/24`);
          continue;
        }
        if (vip.bits !== net.bits || !contains(net, vip.address)) out.push(`${where}: ${text} is not in ${f.hostname}'s ${ifname} subnet ${networkText(net)} with the same prefix length`);
        else if (usableCount(net.bits) < 3) out.push(`${where}: ${networkText(net)} has only ${usableCount(net.bits)} usable address(es); CARP needs three (one per node and the VIP): use a /29 or larger`);
        if (vip.address === net.address) out.push(`${where}: ${text} is ${f.hostname}'s own address; a VIP needs an address of its own`);
        if (vip.address === vip.base || (vip.bits < 31 && vip.address === ((vip.base + 2 ** (32 - vip.bits) - 1) >>> 0))) out.push(`${where}: ${text} is the network or broadcast address`);
      }
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
