import { readFileSync, writeFileSync } from 'node:fs';
import { parseVip, type VhidConfig } from '../config/schema.js';
import { run } from './run.js';

export interface InterfaceAddresses {
  mac?: string;
  /** Every local address, without prefix. */
  addresses: string[];
  /** Source for IPv4 adverts: the first global IPv4 address that is not one of our VIPs. */
  ipv4?: string;
  /** Source for IPv6 adverts: the link-local address. */
  ipv6LinkLocal?: string;
}

interface IpJsonAddr {
  ifname?: string;
  address?: string;
  addr_info?: { family: string; local: string; prefixlen: number; scope?: string }[];
}

export async function interfaceAddresses(iface: string, vips: Set<string>): Promise<InterfaceAddresses | undefined> {
  const r = await run('ip', ['-json', 'addr', 'show', 'dev', iface]);
  if (!r.ok) return undefined;
  let data: IpJsonAddr[];
  try {
    data = JSON.parse(r.stdout) as IpJsonAddr[];
  } catch {
    return undefined;
  }
  const link = data[0];
  if (!link) return undefined;
  const infos = link.addr_info ?? [];
  return {
    mac: link.address,
    addresses: infos.map((a) => a.local),
    ipv4: infos.find((a) => a.family === 'inet' && !vips.has(a.local))?.local,
    ipv6LinkLocal: infos.find((a) => a.family === 'inet6' && a.scope === 'link')?.local,
  };
}

/** The interface that holds a vhid's VIPs: the parent, or its macvlan with the virtual MAC. */
export function vipDevice(v: VhidConfig): string {
  return v.virtualMac ? macvlanName(v) : v.interface;
}

export function macvlanName(v: VhidConfig): string {
  return `cv${v.vhid}.${v.interface}`.slice(0, 15);
}

export function virtualMac(vhid: number): string {
  return `00:00:5e:00:01:${vhid.toString(16).padStart(2, '0')}`;
}

export class IpCommandError extends Error {
  constructor(
    readonly code: 'ip-failed',
    message: string,
  ) {
    super(message);
  }
}

async function ip(args: string[], tolerate: RegExp): Promise<void> {
  const r = await run('ip', args);
  if (!r.ok && !tolerate.test(r.stderr)) throw new IpCommandError('ip-failed', `ip ${args.join(' ')}: ${r.stderr}`);
}

/**
 * Linux answers ARP for any local address on any interface (arp_ignore 0), and may use a VIP as the sender of its
 * own ARP requests on the parent (arp_announce 0); both would teach neighbours the parent's MAC for the VIP.
 * arp_ignore 1 lets only the macvlan answer; arp_announce 2 makes the parent's requests use its own address.
 */
function arpSettingsForVirtualMac(iface: string): void {
  for (const [name, value] of [['arp_ignore', 1], ['arp_announce', 2]] as const) {
    const file = `/proc/sys/net/ipv4/conf/${iface}/${name}`;
    if (Number(readFileSync(file, 'utf8').trim()) < value) writeFileSync(file, String(value));
  }
}

export async function addVips(v: VhidConfig): Promise<void> {
  const dev = vipDevice(v);
  if (v.virtualMac) {
    arpSettingsForVirtualMac(v.interface);
    await ip(['link', 'add', 'link', v.interface, 'name', dev, 'address', virtualMac(v.vhid), 'type', 'macvlan', 'mode', 'private'], /File exists/);
    await ip(['link', 'set', dev, 'up'], /^$/);
  }
  for (const vip of v.vips) {
    const family = parseVip(vip)?.family;
    await ip(['addr', 'add', vip, 'dev', dev, ...(family === 6 ? ['nodad'] : [])], /File exists|Address already assigned/);
  }
}

export async function removeVips(v: VhidConfig): Promise<void> {
  const dev = vipDevice(v);
  if (v.virtualMac) {
    await ip(['link', 'del', dev], /Cannot find device|does not exist/);
    return;
  }
  for (const vip of v.vips) await ip(['addr', 'del', vip, 'dev', dev], /Cannot assign requested address|Cannot find device|does not exist/);
}

/** Removes VIPs (and the macvlan) a previous carpd left behind; returns what was found. */
export async function removeStaleVips(v: VhidConfig): Promise<string[]> {
  const found: string[] = [];
  const present = await interfaceAddresses(v.interface, new Set());
  const wanted = new Set(v.vips.map((x) => parseVip(x)?.address));
  for (const a of present?.addresses ?? []) if (wanted.has(a)) found.push(`${a} on ${v.interface}`);
  for (const vip of v.vips) {
    if (present?.addresses.includes(parseVip(vip)?.address ?? '')) await ip(['addr', 'del', vip, 'dev', v.interface], /Cannot assign requested address/);
  }
  if (await interfaceAddresses(macvlanName(v), new Set())) {
    found.push(`macvlan ${macvlanName(v)}`);
    await ip(['link', 'del', macvlanName(v)], /Cannot find device/);
  }
  return found;
}

/** The peer's MAC from the neighbour table (unicast mode), if the kernel has resolved it. */
export async function neighbourMac(iface: string, address: string): Promise<string | undefined> {
  const r = await run('ip', ['-json', 'neigh', 'show', 'to', address, 'dev', iface]);
  if (!r.ok) return undefined;
  try {
    const rows = JSON.parse(r.stdout) as { lladdr?: string }[];
    return rows.find((x) => x.lladdr)?.lladdr;
  } catch {
    return undefined;
  }
}
