// Checks of an edited plan before it is sent, in the words of the form's labels.
import type { ClusterPlan, PlanVip } from '../../../shared/pairing/schema.js';
import { parseIpv4, parseIpv6 } from '../../../shared/util/addr.js';
import { passwordBytes } from './password.js';

const ROLE = { lan: 'LAN', wan: 'WAN' } as const;

export function roleLabel(role: 'lan' | 'wan'): string {
  return ROLE[role];
}

/** Each VIP group's name in the form: its segment, numbered from a segment's second group on ("LAN", "LAN 2"). */
export function groupLabels(vips: readonly PlanVip[]): string[] {
  return vips.map((v, i) => {
    const n = vips.slice(0, i + 1).filter((x) => x.role === v.role).length;
    return n === 1 ? ROLE[v.role] : `${ROLE[v.role]} ${n}`;
  });
}

export const isIpv6Vip = (text: string): boolean => text.includes(':');

/** What is wrong with one VIP as typed (undefined: it looks like an address with its prefix length). */
export function vipTextError(text: string): string | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (isIpv6Vip(text)) return m && parseIpv6(m[1]) && !m[1].includes('%') && Number(m[2]) <= 128 ? undefined : `"${text}" is not an IPv6 address with a prefix length (e.g. 2001:db8:1::1/64)`;
  return m && parseIpv4(m[1]) && Number(m[2]) <= 32 ? undefined : `"${text}" is not an address with a prefix length (e.g. 10.0.1.1/24)`;
}

/**
 * The plan with an IPv6 VIP added on a segment: beside the IPv4 VIP in that segment's group (one vhid for both), or
 * in a new group with the lowest vhid the plan does not use when `ownVhid` is asked or the segment's group is
 * kept (its addresses are part of how it authenticates). The server then checks the address and the vhid.
 */
export function addIpv6Vip(plan: ClusterPlan, role: PlanVip['role'], address: string, ownVhid: boolean, password: () => string): ClusterPlan {
  const join = ownVhid ? -1 : plan.vips.findIndex((v) => v.role === role && !v.kept);
  if (join >= 0) return { ...plan, vips: plan.vips.map((v, i) => (i === join ? { ...v, vips: [...v.vips, address] } : v)) };
  const same = plan.vips.find((v) => v.role === role);
  if (!same) return plan;
  let vhid = 1;
  while (plan.vips.some((v) => v.vhid === vhid) && vhid < 255) vhid++;
  return { ...plan, vips: [...plan.vips, { role, vhid, vips: [address], interfaces: { ...same.interfaces }, password: password(), advbase: same.advbase }] };
}

/** The plan as sent: VIP lists without empty entries. */
export function cleanPlan(plan: ClusterPlan): ClusterPlan {
  return { ...plan, vips: plan.vips.map((v) => ({ ...v, vips: v.vips.map((a) => a.trim()).filter((a) => a !== '') })) };
}

const int = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;

export function draftErrors(plan: ClusterPlan): string[] {
  const errors: string[] = [];
  if (plan.name.trim() === '') errors.push('Cluster name: give the pair a name.');
  const vhids = new Map<number, string>();
  const vips = cleanPlan(plan).vips;
  const labels = groupLabels(vips);
  for (const [i, v] of vips.entries()) {
    const r = labels[i];
    if (v.vips.length === 0) errors.push(`VIPs for ${r}: give at least one address with its prefix, e.g. 10.0.1.1/24.`);
    for (const a of v.vips) {
      const wrong = vipTextError(a);
      if (wrong) errors.push(`VIPs for ${r}: ${wrong}.`);
    }
    if (!int(v.vhid, 1, 255)) errors.push(`vhid for ${r}: must be a whole number from 1 to 255.`);
    else if (vhids.has(v.vhid)) errors.push(`vhid for ${r}: ${v.vhid} is already used for ${vhids.get(v.vhid)}; each group needs its own.`);
    else vhids.set(v.vhid, r);
    const bytes = passwordBytes(v.password);
    if (bytes === 0 || bytes > 19) errors.push(`Password for ${r}: must be 1 to 19 bytes (CARP's key limit), it is ${bytes}. Use Regenerate for a strong one.`);
    if (!int(v.advbase, 1, 254)) errors.push(`Advertisement interval for ${r}: must be a whole number of seconds from 1 to 254.`);
  }
  for (const role of ['primary', 'secondary'] as const) {
    const name = role === 'primary' ? 'Primary' : 'Secondary';
    if (!int(plan.advskew[role], 0, 254)) errors.push(`${name} advskew: must be a whole number from 0 to 254.`);
    if (plan.sync.addresses[role].trim() === '') errors.push(`${name} sync address: give the address the other node reaches it at on the sync link.`);
  }
  if (plan.advskew.primary >= plan.advskew.secondary) errors.push('Primary advskew must be lower than the secondary\'s, or the secondary becomes master.');
  return errors;
}
