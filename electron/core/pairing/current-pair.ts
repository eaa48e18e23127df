// A pair paired before: the vhid groups carpd runs on both nodes now (NodeFacts.carpd, read by the preflight).
// Their adverts are heard on the segments, but they are the pair's own, so they do not make a vhid taken; and a
// re-pair keeps each group as it is (vhid, password, advbase, addresses: all part of its authentication) rather
// than moving both nodes to new vhids, which would have them claim the VIPs twice between the two activations.
import type { CurrentVhid, NodeFacts, NodeRole, PlanVip } from '../../../shared/pairing/schema.js';
import type { CurrentVhidSecret } from './preflight/facts.js';

export type Nodes = Record<NodeRole, NodeFacts>;
export type SegmentRole = 'lan' | 'wan';

/** The passwords of the groups carpd runs now, per node (the preflight's facts leave them out). */
export type CurrentSecrets = Partial<Record<NodeRole, CurrentVhidSecret[] | null>>;

const ROLES: readonly NodeRole[] = ['primary', 'secondary'];

/** The groups a node runs on its interface of a segment. */
function onSegment(f: NodeFacts, role: SegmentRole): CurrentVhid[] {
  const ifname = f.roles[role];
  return ifname ? (f.carpd?.vhids ?? []).filter((g) => g.interface === ifname) : [];
}

/** vhids either node runs on the segment: heard there, they are this pair's own adverts. */
export function ownVhids(nodes: Nodes, role: SegmentRole): Set<number> {
  return new Set(ROLES.flatMap((r) => onSegment(nodes[r], role).map((g) => g.vhid)));
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/** The group both nodes run with this vhid on the interfaces named, when they agree on advbase and addresses. */
export function currentGroup(nodes: Nodes, vhid: number, interfaces: Record<NodeRole, string>): CurrentVhid | undefined {
  const [p, s] = ROLES.map((r) => (nodes[r].carpd?.vhids ?? []).find((g) => g.vhid === vhid && g.interface === interfaces[r]));
  return p && s && p.advbase === s.advbase && sameSet(p.vips, s.vips) ? p : undefined;
}

/**
 * The segment's groups both nodes run alike, as plan VIPs marked kept. A group is kept only with its password,
 * the same on both nodes: without it (not read) the plan cannot keep the group and treats its vhid as taken.
 */
export function keptGroups(nodes: Nodes, role: SegmentRole, secrets: CurrentSecrets): PlanVip[] {
  const ifP = nodes.primary.roles[role];
  const ifS = nodes.secondary.roles[role];
  if (!ifP || !ifS) return [];
  const out: PlanVip[] = [];
  for (const g of onSegment(nodes.primary, role)) {
    const interfaces = { primary: ifP, secondary: ifS };
    if (!currentGroup(nodes, g.vhid, interfaces)) continue;
    const [pw, pwS] = ROLES.map((r) => secrets[r]?.find((x) => x.vhid === g.vhid && x.interface === interfaces[r])?.password);
    if (!pw || pw !== pwS) continue;
    out.push({ role, vhid: g.vhid, vips: [...g.vips], interfaces, password: pw, advbase: g.advbase, kept: true });
  }
  return out;
}

/** Why a VIP marked kept is not the group the pair runs now (empty: it is). */
export function keptProblems(where: string, v: PlanVip, nodes: Nodes): string[] {
  const now = currentGroup(nodes, v.vhid, v.interfaces);
  if (now && now.advbase === v.advbase && sameSet(now.vips, v.vips)) return [];
  if (now) {
    return [
      `${where}: marked kept, but it differs from the vhid ${v.vhid} both nodes run now (advbase ${now.advbase}, ${now.vips.join(', ')}): a running group whose addresses or timing change makes the two nodes disagree between their activations; put new addresses in a VIP group of their own (a new vhid), or clear "kept"`,
    ];
  }
  return [`${where}: marked kept, but ${nodes.primary.hostname} and ${nodes.secondary.hostname} do not both run vhid ${v.vhid} on ${v.interfaces.primary} / ${v.interfaces.secondary} alike now; clear "kept"`];
}
