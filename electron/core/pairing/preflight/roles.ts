// Interfaces paired between the two nodes by the IPv4 subnet they share (names may differ), then given roles:
// WAN, LAN, sync and the management link the preflight came in on. Names are a hint when they say it (lan, wan,
// sync, ...); otherwise the default route marks the WAN, and the dedicated sync link is the private subnet with no
// other hosts on it.
import type { NodeRole } from '../../../../shared/pairing/schema.js';
import { contains, isPrivate, networkOf, overlaps, parseIpv4Address, parseIpv4Cidr, sameNetwork, type Ipv4Net } from './cidr.js';
import type { NodeInventory } from './facts.js';

export type Role = 'lan' | 'wan' | 'sync' | 'management';

/** One subnet both nodes have, with each node's interface and address on it. */
export interface SegmentPair {
  subnet: string;
  net: Ipv4Net;
  primary: { iface: string; address: string };
  secondary: { iface: string; address: string };
}

export interface RoleMapping {
  pairs: SegmentPair[];
  roles: Partial<Record<Role, SegmentPair>>;
  /** Why each role went where it did. */
  reasons: Partial<Record<Role, string>>;
  /** Same addresses with different masks: the nodes disagree on the subnet. */
  maskMismatches: string[];
  /** Interfaces with an IPv4 address on one node and no counterpart on the other. */
  unpaired: { node: NodeRole; iface: string; address: string }[];
}

const HINTS: Record<Exclude<Role, 'management'>, RegExp> = {
  sync: /sync|pfsync|heartbeat|^ha\d*$|cluster/i,
  wan: /wan|outside|external|uplink|ppp/i,
  lan: /lan|inside|internal|trust/i,
};

interface Addr {
  iface: string;
  address: string;
  net: Ipv4Net;
}

function ipv4Addresses(inv: NodeInventory): Addr[] {
  return inv.interfaces.flatMap((i) =>
    i.addresses
      .map((a) => ({ iface: i.name, address: a.split('/')[0], net: parseIpv4Cidr(a) }))
      .filter((a): a is Addr => a.net !== undefined && a.net.bits < 32),
  );
}

export function pairInterfaces(primary: NodeInventory, secondary: NodeInventory): Pick<RoleMapping, 'pairs' | 'maskMismatches' | 'unpaired'> {
  const a = ipv4Addresses(primary);
  const b = ipv4Addresses(secondary);
  const pairs: SegmentPair[] = [];
  const usedA = new Set<Addr>();
  const usedB = new Set<Addr>();
  const subnets = [...new Set(a.map((x) => networkOf(x.net)))];
  for (const subnet of subnets) {
    const inA = a.filter((x) => networkOf(x.net) === subnet);
    const inB = b.filter((x) => networkOf(x.net) === subnet);
    // same names pair first, the rest in order
    const order = (xs: Addr[]) => [...xs.filter((x) => inB.some((y) => y.iface === x.iface)), ...xs.filter((x) => !inB.some((y) => y.iface === x.iface))];
    for (const x of order(inA)) {
      const y = inB.find((c) => !usedB.has(c) && c.iface === x.iface) ?? inB.find((c) => !usedB.has(c));
      if (!y) continue;
      usedA.add(x);
      usedB.add(y);
      pairs.push({ subnet, net: x.net, primary: { iface: x.iface, address: x.address }, secondary: { iface: y.iface, address: y.address } });
    }
  }
  const maskMismatches: string[] = [];
  for (const x of a.filter((x) => !usedA.has(x))) {
    for (const y of b.filter((y) => !usedB.has(y))) {
      if (overlaps(x.net, y.net) && !sameNetwork(x.net, y.net)) {
        maskMismatches.push(`the primary's ${x.iface} is ${x.address}/${x.net.bits} and the secondary's ${y.iface} is ${y.address}/${y.net.bits}: the same network with different masks`);
      }
    }
  }
  const unpaired = [
    ...a.filter((x) => !usedA.has(x)).map((x) => ({ node: 'primary' as const, iface: x.iface, address: `${x.address}/${x.net.bits}` })),
    ...b.filter((y) => !usedB.has(y)).map((y) => ({ node: 'secondary' as const, iface: y.iface, address: `${y.address}/${y.net.bits}` })),
  ];
  return { pairs, maskMismatches, unpaired };
}

const hinted = (p: SegmentPair, re: RegExp) => re.test(p.primary.iface) || re.test(p.secondary.iface);

/** Neighbours on the pair's interfaces that are neither node: other hosts live on that segment. */
export function otherHosts(p: SegmentPair, primary: NodeInventory, secondary: NodeInventory): string[] {
  const skip = new Set([p.primary.address, p.secondary.address]);
  const seen = [
    ...primary.neighbours.filter((n) => n.dev === p.primary.iface),
    ...secondary.neighbours.filter((n) => n.dev === p.secondary.iface),
  ].map((n) => n.address);
  return [...new Set(seen.filter((x) => !skip.has(x) && x.includes('.') && contains(p.net, parseIpv4Address(x) ?? -1)))];
}

export interface MapOptions {
  /** The addresses the sessions are connected to (the management link when it is a subnet of its own). */
  sshHosts: { primary: string; secondary: string };
  vipSubnets?: readonly string[];
}

export function mapRoles(primary: NodeInventory, secondary: NodeInventory, opts: MapOptions): RoleMapping {
  const base = pairInterfaces(primary, secondary);
  const roles: RoleMapping['roles'] = {};
  const reasons: RoleMapping['reasons'] = {};
  const free = () => base.pairs.filter((p) => !Object.values(roles).includes(p));
  const take = (role: Role, p: SegmentPair | undefined, why: string) => {
    if (!p || roles[role]) return;
    roles[role] = p;
    reasons[role] = why;
  };
  const vipNets = (opts.vipSubnets ?? []).map(parseIpv4Cidr).filter((n): n is Ipv4Net => n !== undefined);
  const holdsVip = (p: SegmentPair) => vipNets.some((v) => overlaps(v, p.net));

  const routed = (p: SegmentPair) => primary.defaultRoutes.includes(p.primary.iface) || secondary.defaultRoutes.includes(p.secondary.iface);

  // the subnet the preflight came in on is management, unless it is named, routed, public or planned for a VIP
  const mgmt = free().find((p) => p.primary.address === opts.sshHosts.primary || p.secondary.address === opts.sshHosts.secondary);
  if (mgmt && !Object.values(HINTS).some((re) => hinted(mgmt, re)) && !routed(mgmt) && isPrivate(mgmt.net.base) && !holdsVip(mgmt)) {
    take('management', mgmt, 'the preflight reached the nodes over it');
  }

  for (const role of ['sync', 'wan', 'lan'] as const) {
    const named = free().find((p) => hinted(p, HINTS[role]));
    take(role, named, `its interface name says so (${named ? p2s(named) : ''})`);
  }

  take('wan', free().find(routed), 'it carries the default route');
  take('wan', free().find((p) => !isPrivate(p.net.base) && holdsVip(p)), 'a public subnet with a planned VIP');
  take('wan', free().find((p) => !isPrivate(p.net.base)), 'the only public subnet');

  const quiet = free().filter((p) => isPrivate(p.net.base) && !holdsVip(p) && otherHosts(p, primary, secondary).length === 0);
  if (!roles.sync && free().length >= 2) take('sync', quiet.sort((x, y) => y.net.bits - x.net.bits)[0], 'a private subnet with no VIP and no other hosts');
  const busy = (p: SegmentPair) => isPrivate(p.net.base) && otherHosts(p, primary, secondary).length > 0;
  take('lan', free().find(holdsVip), 'a planned VIP is on it');
  take('lan', free().find(busy), 'a private subnet with other hosts on it');
  take('lan', free().find((p) => isPrivate(p.net.base)), 'the remaining private subnet');
  if (!roles.lan && roles.management) {
    roles.lan = roles.management;
    reasons.lan = 'the only shared subnet besides the WAN is the one the preflight came in on';
    delete roles.management;
    delete reasons.management;
  }
  return { ...base, roles, reasons };
}

const p2s = (p: SegmentPair | undefined) => (p ? (p.primary.iface === p.secondary.iface ? p.primary.iface : `${p.primary.iface}/${p.secondary.iface}`) : '');

/** `lan: primary lan ↔ secondary eth1 (10.0.1.0/24)` */
export const describePair = (p: SegmentPair): string => `primary ${p.primary.iface} ${p.primary.address} ↔ secondary ${p.secondary.iface} ${p.secondary.address} (${p.subnet})`;

/** A node's interfaces by role, for NodeFacts.roles. */
export function nodeRoles(mapping: RoleMapping, node: NodeRole): { lan?: string; wan?: string; sync?: string } {
  const out: { lan?: string; wan?: string; sync?: string } = {};
  for (const role of ['lan', 'wan', 'sync'] as const) {
    const p = mapping.roles[role];
    if (p) out[role] = p[node].iface;
  }
  return out;
}
