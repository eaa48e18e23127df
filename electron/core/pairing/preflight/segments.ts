// The pair-level layout checks: how the interfaces map between the nodes, whether the sync link is dedicated, and
// whether each VIP subnet has room for two nodes and a VIP.
import type { PreflightCheck } from '../../../../shared/pairing/schema.js';
import { fail, listWords, pass, warn } from './check.js';
import { networkOf, overlaps, parseIpv4Cidr, sameNetwork, usableAddresses, usableRange, type Ipv4Net } from './cidr.js';
import type { NodeInventory } from './facts.js';
import { describePair, otherHosts, type RoleMapping, type SegmentPair } from './roles.js';

/** A segment that will carry VIPs: named by its role when one was mapped, else by its subnet. */
export interface VipSegment {
  name: string;
  role?: 'lan' | 'wan';
  /** The subnet as planned (the VIP subnet option) or as found (the pair's subnet). */
  subnet: string;
  net?: Ipv4Net;
  pair?: SegmentPair;
}

export function vipSegments(mapping: RoleMapping, vipSubnets: readonly string[] | undefined): VipSegment[] {
  const roleOf = (p: SegmentPair | undefined): 'lan' | 'wan' | undefined => (p && mapping.roles.lan === p ? 'lan' : p && mapping.roles.wan === p ? 'wan' : undefined);
  if (!vipSubnets || vipSubnets.length === 0) {
    return (['lan', 'wan'] as const).flatMap((role) => {
      const p = mapping.roles[role];
      return p ? [{ name: role, role, subnet: p.subnet, net: p.net, pair: p }] : [];
    });
  }
  const names = new Set<string>();
  return vipSubnets.map((text) => {
    const net = parseIpv4Cidr(text);
    if (!net) return { name: text, subnet: text };
    const pair = mapping.pairs.find((p) => p === mapping.roles.lan && overlaps(p.net, net)) ?? mapping.pairs.find((p) => p === mapping.roles.wan && overlaps(p.net, net)) ?? mapping.pairs.find((p) => overlaps(p.net, net));
    const role = roleOf(pair);
    const name = role && !names.has(role) ? role : networkOf(net);
    names.add(name);
    return { name, role, subnet: networkOf(net), net, pair };
  });
}

export function mappingCheck(mapping: RoleMapping): PreflightCheck {
  const base = { id: 'interface-mapping', node: null, title: 'Interfaces mapped by role and subnet' };
  const lines = (['lan', 'wan', 'sync', 'management'] as const).flatMap((r) => {
    const p = mapping.roles[r];
    return p ? [`${r}: ${describePair(p)}, ${mapping.reasons[r]}`] : [];
  });
  const renamed = mapping.pairs.filter((p) => p.primary.iface !== p.secondary.iface).map((p) => `${p.primary.iface} ↔ ${p.secondary.iface}`);
  const names = renamed.length ? `; names differ (${renamed.join(', ')}): each node keeps its own names in the plan` : '';
  const clash = mapping.pairs.find((p) => p.primary.address === p.secondary.address);
  if (clash) {
    return fail({
      ...base,
      detail: `the primary's ${clash.primary.iface} and the secondary's ${clash.secondary.iface} both have ${clash.primary.address}: the two targets are the same machine, or their addresses clash`,
      fix: 'check the --primary and --secondary targets name two different firewalls, and give each node its own address on every subnet',
    });
  }
  if (mapping.maskMismatches.length > 0) {
    return fail({ ...base, detail: `${mapping.maskMismatches.join('; ')}${lines.length ? `; mapped so far: ${lines.join('; ')}` : ''}`, fix: 'give both nodes the same prefix length on each shared subnet (the VIP mask must equal the interface mask)' });
  }
  if (!mapping.roles.lan) {
    const seen = mapping.pairs.length ? `only ${listWords(mapping.pairs.map((p) => p.subnet))}` : 'no subnet at all';
    return fail({ ...base, detail: `the nodes share ${seen}, and no LAN could be told apart from the other links`, fix: 'put both nodes on the same LAN subnet (one address each, the VIP will be a third), and name the VIP subnets in the plan' });
  }
  const lonely = mapping.unpaired.filter((u) => !u.iface.startsWith('docker') && !u.iface.startsWith('veth'));
  if (lonely.length > 0) {
    return warn({
      ...base,
      detail: `${lines.join('; ')}${names}; no counterpart on the other node for ${listWords(lonely.map((u) => `the ${u.node}'s ${u.iface} ${u.address}`))}`,
      fix: 'give the other node an address on the same subnet if that link is to fail over too; otherwise nothing to do',
    });
  }
  return pass({ ...base, detail: `${lines.join('; ')}${names}` });
}

export function syncCheck(mapping: RoleMapping, primary: NodeInventory, secondary: NodeInventory, segments: readonly VipSegment[]): PreflightCheck {
  const base = { id: 'sync-interface', node: null, title: 'Dedicated sync interface', overridable: true };
  const sync = mapping.roles.sync;
  const lan = mapping.roles.lan;
  const onVip = (net: Ipv4Net) => segments.find((s) => (s.net ? overlaps(s.net, net) : false)) ?? (lan && overlaps(lan.net, net) ? { name: 'lan', subnet: lan.subnet } : undefined);
  const dedicatedFix = 'connect the nodes with a direct cable or an isolated VLAN on a subnet of its own (e.g. 10.0.2.1/30 and 10.0.2.2/30), with no VIP and no other hosts on it; or override this check to sync over the LAN (state sync is not authenticated: anyone on that segment could inject states)';
  // a node whose sync-named interface sits on a VIP subnet (the other node's may be elsewhere)
  for (const [role, inv] of [['primary', primary], ['secondary', secondary]] as const) {
    for (const i of inv.interfaces) {
      if (!/sync|pfsync|heartbeat/i.test(i.name)) continue;
      for (const a of i.addresses) {
        const net = parseIpv4Cidr(a);
        const seg = net && onVip(net);
        if (seg && (!sync || sync[role].iface === i.name)) {
          return fail({ ...base, detail: `the ${role}'s sync interface ${i.name} (${a}) is on the ${seg.name} subnet ${seg.subnet}, which carries VIPs and other hosts`, fix: dedicatedFix });
        }
      }
    }
  }
  if (!sync) return fail({ ...base, detail: `no dedicated sync link: the nodes share ${listWords(mapping.pairs.map((p) => p.subnet)) || 'no subnet'} and each of those carries VIPs, the management or other hosts, so state sync would run over the LAN`, fix: dedicatedFix });
  const seg = onVip(sync.net);
  if (seg) return fail({ ...base, detail: `the sync link ${describePair(sync)} is on the ${seg.name} subnet ${seg.subnet}, which carries VIPs and other hosts`, fix: dedicatedFix });
  const others = otherHosts(sync, primary, secondary);
  if (others.length > 0) {
    return warn({ ...base, overridable: false, detail: `${describePair(sync)}: other hosts answer on it (${listWords(others)})`, fix: 'keep only the two nodes on the sync link (a direct cable or a VLAN of its own)' });
  }
  return pass({ ...base, overridable: false, detail: `${describePair(sync)}: no VIP and no other host on it` });
}

/** `leased`: the nodes' addresses that come from DHCP (or router advertisements), by address without prefix. */
export function vipSubnetCheck(segment: VipSegment, leased: ReadonlySet<string> = new Set()): PreflightCheck {
  const base = { id: 'vip-subnet', node: null, title: `Room for the VIP on ${segment.name}`, segment: segment.name };
  const net = segment.net;
  if (!net && segment.subnet.includes(':')) {
    return warn({ ...base, detail: `${segment.subnet} is IPv6: its room, vhids and multicast are not tested here (the test packets are IPv4)`, fix: 'give the IPv6 VIP the same vhid as an IPv4 VIP on that interface, whose checks then cover the segment; make sure ff02::12 passes between the nodes' });
  }
  if (!net) return fail({ ...base, detail: `"${segment.subnet}" is not an IPv4 subnet`, fix: 'write the VIP subnet as ADDRESS/PREFIX, e.g. 10.0.1.0/24' });
  const usable = usableAddresses(net.bits);
  const needsGateway = segment.role === 'wan';
  const need = needsGateway ? 4 : 3;
  const [first, last] = usableRange(net);
  const counted = `${segment.subnet} has ${usable} usable address${usable === 1 ? '' : 'es'}${usable > 0 ? ` (${first}${usable > 1 ? ` to ${last}` : ''})` : ''}`;
  if (usable < need) {
    return fail({
      ...base,
      detail: `${counted}; CARP needs ${need}: one per node and the VIP${needsGateway ? ', plus the gateway' : ''}`,
      fix: needsGateway
        ? 'ask the provider for a /29 or larger, or give the nodes private addresses on the WAN link and let the VIP hold the provider\'s address'
        : 'use a /29 or larger for this segment (a /30 or /31 leaves no address for the VIP)',
    });
  }
  const p = segment.pair;
  if (!p) return fail({ ...base, detail: `${counted}, but neither node has an address in it`, fix: `give each node an address in ${segment.subnet} on the interface facing that segment` });
  if (!sameNetwork(p.net, net)) {
    return fail({ ...base, detail: `${counted}, but the nodes' interfaces use ${p.subnet}`, fix: `plan the VIP in ${p.subnet} (the VIP mask must equal the interface mask) or readdress both nodes' ${p.primary.iface}/${p.secondary.iface} to ${segment.subnet}` });
  }
  const dhcp = (['primary', 'secondary'] as const).filter((role) => leased.has(p[role].address));
  if (dhcp.length > 0) {
    return warn({
      ...base,
      detail: `${counted}, but ${listWords(dhcp.map((role) => `the ${role}'s ${p[role].address}`))} ${dhcp.length === 1 ? 'is' : 'are'} leased by DHCP: a lease can change under CARP, and the VIP itself cannot be leased`,
      fix: `give both nodes static addresses on ${segment.name} (ask the provider for a static block on a WAN), or use the pattern where private node addresses sit on the link and the VIP holds the provider's address`,
    });
  }
  return pass({ ...base, detail: `${counted}: the primary's ${p.primary.address} and the secondary's ${p.secondary.address} leave ${usable - 2} for the VIP${needsGateway ? ' and the gateway' : ''}` });
}
