// NAT lint over `nft -j list ruleset`: source NAT (masquerade, snat) that would also translate the firewall's own
// traffic. Without an output-interface match it rewrites CARP adverts and state sync to the peer; an snat without
// a source match gives the backup's own traffic (updates, DNS) the target address, and when that is the VIP the
// replies land on the master.
import type { NodeRole, PreflightCheck } from '../../../../shared/pairing/schema.js';
import { fail, pass, skipped, warn } from './check.js';
import { contains, parseIpv4Address, parseIpv4Cidr } from './cidr.js';

interface Match {
  op?: string;
  left?: { meta?: { key?: string }; payload?: { protocol?: string; field?: string } };
  right?: unknown;
}

type Expr = { match?: Match; masquerade?: unknown; snat?: { addr?: unknown } } & Record<string, unknown>;

interface NftRule {
  family?: string;
  table?: string;
  chain?: string;
  handle?: number;
  expr?: Expr[];
}

export interface NatFinding {
  /** `ip nat postrouting (handle 3): oifname "wan" snat to 198.51.100.1` */
  rule: string;
  problem: 'any-interface' | 'own-traffic';
  action: 'masquerade' | 'snat';
}

export interface NatHints {
  /** The node's own IPv4 addresses and the interface each is on. */
  ownAddresses: { iface: string; address: string }[];
  wanInterface?: string;
  lanSubnet?: string;
}

function valueText(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number') return typeof v === 'string' && !/^[\d.:/]+$/.test(v) ? `"${v}"` : String(v);
  if (v && typeof v === 'object') {
    const o = v as { prefix?: { addr?: string; len?: number }; set?: unknown[]; range?: unknown[] };
    if (o.prefix) return `${o.prefix.addr}/${o.prefix.len}`;
    if (Array.isArray(o.set)) return `{ ${o.set.map(valueText).join(', ')} }`;
    if (Array.isArray(o.range)) return o.range.map(valueText).join('-');
  }
  return JSON.stringify(v);
}

function matchText(m: Match): string {
  const left = m.left?.meta?.key ?? (m.left?.payload ? `${m.left.payload.protocol} ${m.left.payload.field}` : 'expr');
  return `${left}${m.op && m.op !== '==' ? ` ${m.op}` : ''} ${valueText(m.right)}`;
}

export function ruleText(r: NftRule): string {
  const parts = (r.expr ?? []).map((e) => {
    if (e.match) return matchText(e.match);
    if ('masquerade' in e) return 'masquerade';
    if (e.snat) return `snat to ${valueText(e.snat.addr)}`;
    return Object.keys(e)[0] ?? '';
  });
  return `${r.family} ${r.table} ${r.chain} (handle ${r.handle}): ${parts.filter(Boolean).join(' ')}`;
}

/** Addresses (as numbers) a saddr match's right side selects, as CIDRs; undefined when it is not a plain prefix/address/set. */
function sourceNets(right: unknown): string[] | undefined {
  if (typeof right === 'string') return [right];
  const o = right as { prefix?: { addr?: string; len?: number }; set?: unknown[] } | null;
  if (o?.prefix) return [`${o.prefix.addr}/${o.prefix.len}`];
  if (o && Array.isArray(o.set)) {
    const all = o.set.map(sourceNets);
    return all.every((x) => x !== undefined) ? (all as string[][]).flat() : undefined;
  }
  return undefined;
}

export function lintNat(rulesetJson: string, hints: NatHints): NatFinding[] | string {
  let parsed: { nftables?: { rule?: NftRule }[] };
  try {
    parsed = JSON.parse(rulesetJson) as typeof parsed;
  } catch {
    return 'nft -j list ruleset did not print JSON';
  }
  if (!Array.isArray(parsed.nftables)) return 'nft -j list ruleset printed JSON without an "nftables" list';
  const findings: NatFinding[] = [];
  for (const item of parsed.nftables) {
    const rule = item.rule;
    if (!rule?.expr) continue;
    const action = rule.expr.some((e) => 'masquerade' in e) ? 'masquerade' : rule.expr.some((e) => e.snat) ? 'snat' : null;
    if (!action) continue;
    const matches = rule.expr.map((e) => e.match).filter((m): m is Match => !!m);
    const outMatches = matches.filter((m) => m.op === '==' && (m.left?.meta?.key === 'oifname' || m.left?.meta?.key === 'oif'));
    const outRestricted = outMatches.length > 0;
    // the firewall's own packets leave with the address of the interface they leave by
    const outNames = outMatches.map((m) => m.right).filter((r): r is string => typeof r === 'string');
    const own = hints.ownAddresses
      .filter((a) => !outRestricted || outNames.length < outMatches.length || outNames.includes(a.iface))
      .map((a) => parseIpv4Address(a.address))
      .filter((a): a is number => a !== undefined);
    const inRestricted = matches.some((m) => m.op === '==' && (m.left?.meta?.key === 'iifname' || m.left?.meta?.key === 'iif'));
    const saddr = matches.filter((m) => m.op === '==' && m.left?.payload?.field === 'saddr');
    let catchesOwn = !inRestricted;
    if (catchesOwn && saddr.length > 0) {
      const nets = saddr.map((m) => sourceNets(m.right));
      // an unreadable source match (a named set, a map) is taken as a restriction: it is not ours to judge
      if (nets.every((n) => n !== undefined)) {
        const cidrs = (nets as string[][]).flat().map(parseIpv4Cidr).filter((c) => c !== undefined);
        catchesOwn = own.some((a) => cidrs.some((c) => contains(c, a)));
      } else catchesOwn = false;
    }
    const text = ruleText(rule);
    if (!outRestricted && catchesOwn) findings.push({ rule: text, problem: 'any-interface', action });
    else if (outRestricted && action === 'snat' && catchesOwn) findings.push({ rule: text, problem: 'own-traffic', action });
  }
  return findings;
}

export function natCheck(node: NodeRole, result: { ruleset?: string; error?: string; noNft?: boolean }, hints: NatHints): PreflightCheck {
  const base = { id: 'nat', node, title: 'Outbound NAT leaves the firewall\'s own traffic alone' };
  if (result.noNft) return skipped({ ...base, detail: 'nft is not installed, so there is no nftables NAT to inspect (see Required packages)', fix: 'install nftables and run the preflight again' });
  if (result.error !== undefined || result.ruleset === undefined) return warn({ ...base, detail: `could not read the ruleset: ${result.error ?? 'no output'}`, fix: 'run nft -j list ruleset on the node as root and check it works' });
  const findings = lintNat(result.ruleset, hints);
  if (typeof findings === 'string') return fail({ ...base, detail: findings, fix: 'check the nftables version on the node (nft -j needs nftables 0.9 or newer)' });
  if (findings.length === 0) return pass({ ...base, detail: 'no source NAT rule catches the firewall\'s own traffic' });
  const wan = hints.wanInterface ?? 'WAN';
  const lan = hints.lanSubnet ?? 'LAN-SUBNET';
  const anyIf = findings.filter((f) => f.problem === 'any-interface');
  const ownT = findings.filter((f) => f.problem === 'own-traffic');
  const detail = [
    ...anyIf.map((f) => `${f.rule} applies on every interface and to the firewall's own packets, so CARP adverts and state sync to the peer get translated too`),
    ...ownT.map((f) => `${f.rule} also translates the firewall's own traffic out of that interface: on the backup, replies to it go to whoever holds that address (the master, when it is a VIP), so the backup loses its own Internet access`),
  ].join('; ');
  const fix = `match only the traffic to translate: the output interface and the LAN's addresses, e.g. oifname "${wan}" ip saddr ${lan} ${findings[0].action === 'snat' ? 'snat to VIP' : 'masquerade'}; the firewall's own traffic then keeps its own address`;
  return warn({ ...base, detail, fix });
}
