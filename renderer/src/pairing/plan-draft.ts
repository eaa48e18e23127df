// Checks of an edited plan before it is sent, in the words of the form's labels.
import type { ClusterPlan } from '../../../shared/pairing/schema.js';
import { passwordBytes } from './password.js';

const ROLE = { lan: 'LAN', wan: 'WAN' } as const;

export function roleLabel(role: 'lan' | 'wan'): string {
  return ROLE[role];
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
  for (const v of cleanPlan(plan).vips) {
    const r = ROLE[v.role];
    if (v.vips.length === 0) errors.push(`VIPs for ${r}: give at least one address with its prefix, e.g. 10.0.1.1/24.`);
    for (const a of v.vips) if (!/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(a)) errors.push(`VIPs for ${r}: "${a}" is not an address with a prefix length (e.g. 10.0.1.1/24).`);
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
