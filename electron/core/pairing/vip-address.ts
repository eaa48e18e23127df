// What can be wrong with one VIP address on one node's interface, IPv4 or IPv6, in plain words.
import type { NodeFacts } from '../../../shared/pairing/schema.js';
import { contains, networkText, parseV4Cidr, usableCount, type V4Net } from './ipv4.js';
import { isSubnetRouterAnycast, parseV6Cidr, sameV6, v6Contains, v6Kind, v6NetworkText, type V6Net } from './ipv6.js';

/** Whether `text` (address/prefix) is a VIP carpd runs on the node now: the master holds it, but it is not the node's. */
function heldVip(f: NodeFacts, text: string): boolean {
  const addr = text.split('/')[0];
  const v6 = parseV6Cidr(text)?.address;
  return (f.carpd?.vhids ?? []).some((g) =>
    g.vips.some((vip) => {
      const held = parseV6Cidr(vip)?.address;
      return v6 && held ? sameV6(v6, held) : vip.split('/')[0] === addr;
    }),
  );
}

/** The node's first IPv4 address (with prefix) on `ifname`, not counting the VIPs it holds as master. */
export function ifaceV4(f: NodeFacts, ifname: string | undefined): V4Net | undefined {
  const i = f.interfaces.find((x) => x.name === ifname);
  for (const a of i?.addresses ?? []) {
    const n = parseV4Cidr(a);
    if (n && a.includes('/') && !heldVip(f, a)) return n;
  }
  return undefined;
}

/** The node's global IPv6 addresses (with prefix) on `ifname`, not counting the VIPs it holds as master. */
export function ifaceV6(f: NodeFacts, ifname: string | undefined): V6Net[] {
  const i = f.interfaces.find((x) => x.name === ifname);
  return (i?.addresses ?? []).filter((a) => !heldVip(f, a)).map(parseV6Cidr).filter((n): n is V6Net => n !== undefined);
}

export const isV6Text = (text: string): boolean => text.includes(':');

export function vipAddressProblems(where: string, text: string, f: NodeFacts, ifname: string): string[] {
  return isV6Text(text) ? v6Problems(where, text, f, ifname) : v4Problems(where, text, f, ifname);
}

function v4Problems(where: string, text: string, f: NodeFacts, ifname: string): string[] {
  const vip = parseV4Cidr(text);
  if (!vip || !text.includes('/')) return [`${where}: "${text}" is not an IPv4 or IPv6 address with prefix length such as 10.0.1.1/24 or 2001:db8:1::1/64`];
  const net = ifaceV4(f, ifname);
  if (!net) return [`${where}: ${f.hostname}'s ${ifname} has no IPv4 address`];
  const out: string[] = [];
  if (vip.bits !== net.bits || !contains(net, vip.address)) out.push(`${where}: ${text} is not in ${f.hostname}'s ${ifname} subnet ${networkText(net)} with the same prefix length`);
  else if (usableCount(net.bits) < 3) out.push(`${where}: ${networkText(net)} has only ${usableCount(net.bits)} usable address(es); CARP needs three (one per node and the VIP): use a /29 or larger`);
  if (vip.address === net.address) out.push(`${where}: ${text} is ${f.hostname}'s own address; a VIP needs an address of its own`);
  if (vip.address === vip.base || (vip.bits < 31 && vip.address === ((vip.base + 2 ** (32 - vip.bits) - 1) >>> 0))) out.push(`${where}: ${text} is the network or broadcast address`);
  return out;
}

function v6Problems(where: string, text: string, f: NodeFacts, ifname: string): string[] {
  const vip = parseV6Cidr(text);
  if (!vip) return [`${where}: "${text}" is not an IPv6 address with prefix length such as 2001:db8:1::1/64`];
  const kind = v6Kind(vip.address);
  if (kind) return [`${where}: ${text} is a ${kind} address; an IPv6 VIP needs a global or unique local address such as 2001:db8:1::1/64`];
  const nets = ifaceV6(f, ifname);
  if (nets.length === 0) return [`${where}: ${f.hostname}'s ${ifname} has no IPv6 address; give both nodes an address in ${v6NetworkText(vip)} on that segment, then run the preflight again`];
  const out: string[] = [];
  if (!nets.some((n) => n.bits === vip.bits && v6Contains(n, vip.address))) {
    out.push(`${where}: ${text} is not in ${f.hostname}'s ${ifname} IPv6 prefix ${nets.map(v6NetworkText).join(' or ')} with the same prefix length`);
  }
  if (nets.some((n) => sameV6(n.address, vip.address))) out.push(`${where}: ${text} is ${f.hostname}'s own address; a VIP needs an address of its own`);
  if (vip.bits > 126) out.push(`${where}: ${text} is a /${vip.bits}: no room for both nodes and the VIP; use the segment's prefix length (usually /64)`);
  else if (isSubnetRouterAnycast(vip)) out.push(`${where}: ${text} is the subnet-router anycast address of ${v6NetworkText(vip)}; choose another address in it (e.g. ending in ::1)`);
  return out;
}
