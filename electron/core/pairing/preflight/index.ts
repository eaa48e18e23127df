// Preflight of a pair: every check of issue 8 item 1 on both nodes over their SSH sessions, reported one by one as
// they finish, with plain findings, a concrete fix and, where it can be automated, a remedy. Nothing on the nodes
// is changed (the wire tests send marked test packets that CARP and VRRP speakers ignore).
import { randomBytes } from 'node:crypto';
import type { NodeFacts, NodeRole, PreflightCheck, PreflightReport } from '../../../../shared/pairing/schema.js';
import { fingerprintOf, keyBlobOfLine } from '../../ssh/fingerprint.js';
import { clockCheck, estimateOffset, sampleClock } from './clock.js';
import { gatherInventory, type NodeInventory } from './facts.js';
import { natCheck } from './nat.js';
import { conntrackAcctCheck, interfacesCheck, osCheck, packagesCheck, privilegeCheck, toolsCheck, type BundleNeeds } from './node-checks.js';
import { mapRoles, nodeRoles } from './roles.js';
import { mappingCheck, syncCheck, vipSegments, vipSubnetCheck } from './segments.js';
import { asRoot, type PreflightSession, type Privilege } from './session.js';
import { multicastCheck, untestedChecks, vhidCheck, virtualMacCheck } from './wire-checks.js';
import { ROLES, runWireTests, vhidsInUse, type SegmentResult, type WireNode } from './wire.js';

export { runRemedy, parseRemedyId, type RemedyResult } from './remedies.js';
export type { PreflightSession } from './session.js';

export interface PreflightOptions {
  /** How long each node listens for adverts on every VIP segment, 1-60 s (default 3 s). */
  listenSeconds?: number;
  /** The VIP subnets the user plans (e.g. '10.0.1.0/24'); default: the LAN and WAN subnets found. */
  vipSubnets?: string[];
  /** Ids of overridable failures the user accepted (e.g. 'sync-interface'). */
  overrides?: string[];
  /** Largest clock offset from this computer that passes (default 1000 ms). */
  clockToleranceMs?: number;
  /** Test that the virtual MAC 00:00:5e:00:01:<vhid> gets through (when the plan uses it). */
  virtualMac?: boolean;
  /** vhids the plan means to use, by segment name ('lan', 'wan' or the subnet): one heard in use fails. */
  vhids?: Record<string, number[]>;
  /** Host key fingerprints as the SSH layer verified them; default: what each node's ed25519 key file says. */
  hostKeyFingerprints?: Partial<Record<NodeRole, string>>;
  /** What the carpd runtime to be deployed needs; default: this process's own Node runtime. */
  bundle?: BundleNeeds;
}

const UNAME_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armv7l', ia32: 'i686' };

export function localBundleNeeds(): BundleNeeds {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return { arch: UNAME_ARCH[process.arch] ?? process.arch, glibc: header?.glibcVersionRuntime };
}

/** A finite number within [min, max], else the default (options may come straight from a form). */
const within = (v: number | undefined, min: number, max: number, dflt: number): number => (v !== undefined && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : dflt);

const privilegeOf = (inv: NodeInventory): Privilege => (inv.uid === 0 ? 'root' : inv.sudo ? 'sudo' : 'none');

function hostKeyFingerprint(inv: NodeInventory, given: string | undefined): string {
  if (given) return given;
  const parsed = inv.hostKey ? keyBlobOfLine(inv.hostKey) : undefined;
  return parsed ? fingerprintOf(parsed.blob) : '';
}

async function readRuleset(session: PreflightSession, inv: NodeInventory): Promise<{ ruleset?: string; error?: string; noNft?: boolean }> {
  if (!inv.commands.nft) return { noNft: true };
  const privilege = privilegeOf(inv);
  if (privilege === 'none') return { error: 'reading the ruleset needs root (see Root or sudo)' };
  const r = await session.exec(asRoot(privilege, [inv.commands.nft, '-j', 'list', 'ruleset']));
  if (r.code !== 0) return { error: (r.stderr || r.stdout).trim() || `nft exited ${r.code}` };
  return { ruleset: r.stdout.trim() || '{"nftables": []}' };
}

export async function runPreflight(
  sessions: { primary: PreflightSession; secondary: PreflightSession },
  options: PreflightOptions = {},
  progress?: (check: PreflightCheck) => void,
): Promise<PreflightReport> {
  const started = Date.now();
  const checks: PreflightCheck[] = [];
  const overrides = new Set(options.overrides ?? []);
  const emit = (c: PreflightCheck) => {
    if (c.status === 'fail' && c.overridable && overrides.has(c.id)) c.overridden = true;
    checks.push(c);
    progress?.(c);
  };
  const bundle = options.bundle ?? localBundleNeeds();
  const [pInv, sInv] = await Promise.all([gatherInventory(sessions.primary), gatherInventory(sessions.secondary)]);
  const inv: Record<NodeRole, NodeInventory> = { primary: pInv, secondary: sInv };

  for (const role of ROLES) {
    emit(osCheck(role, inv[role], bundle));
    emit(privilegeCheck(role, inv[role], sessions[role].target.user));
    emit(packagesCheck(role, inv[role]));
    emit(toolsCheck(role, inv[role]));
    emit(interfacesCheck(role, inv[role]));
  }

  const [pClock, sClock] = await Promise.all([sampleClock(sessions.primary), sampleClock(sessions.secondary)]);
  const est = { primary: estimateOffset(pClock), secondary: estimateOffset(sClock) };
  const tolerance = within(options.clockToleranceMs, 0, 3_600_000, 1000);
  emit(clockCheck('primary', est.primary, tolerance, est.secondary));
  emit(clockCheck('secondary', est.secondary, tolerance, est.primary));

  const mapping = mapRoles(pInv, sInv, { sshHosts: { primary: sessions.primary.target.host, secondary: sessions.secondary.target.host }, vipSubnets: options.vipSubnets });
  const rulesets = await Promise.all(ROLES.map((role) => readRuleset(sessions[role], inv[role])));
  for (const [i, role] of ROLES.entries()) {
    const own = inv[role].interfaces.flatMap((x) => x.addresses.filter((a) => !a.includes(':')).map((a) => ({ iface: x.name, address: a.split('/')[0] })));
    emit(natCheck(role, rulesets[i], { ownAddresses: own, wanInterface: mapping.roles.wan?.[role].iface, lanSubnet: mapping.roles.lan?.subnet }));
    emit(conntrackAcctCheck(role, inv[role]));
  }

  const segments = vipSegments(mapping, options.vipSubnets);
  emit(mappingCheck(mapping));
  emit(syncCheck(mapping, pInv, sInv, segments));
  const leased = new Set(ROLES.flatMap((r) => inv[r].interfaces.flatMap((i) => i.dynamic.map((a) => a.split('/')[0]))));
  for (const seg of segments) emit(vipSubnetCheck(seg, leased));

  const wireNode = (role: NodeRole): WireNode => ({
    session: sessions[role],
    privilege: privilegeOf(inv[role]),
    macs: Object.fromEntries(inv[role].interfaces.map((i) => [i.name, i.mac])),
    tools: ['tcpdump', 'python3', 'timeout'].every((c) => c in inv[role].commands),
  });
  const wireNodes: Record<NodeRole, WireNode> = { primary: wireNode('primary'), secondary: wireNode('secondary') };
  const canTest = ROLES.every((r) => wireNodes[r].tools && wireNodes[r].privilege !== 'none');
  const wireOptions = {
    listenSeconds: Math.round(within(options.listenSeconds, 1, 60, 3)),
    nonce: randomBytes(8).toString('hex'),
    pairAddresses: ROLES.flatMap((r) => inv[r].interfaces.flatMap((x) => x.addresses.map((a) => a.split('/')[0]))),
    virtualMac: options.virtualMac ?? false,
    plannedVhids: options.vhids ?? {},
  };
  let results: SegmentResult[] = [];
  if (canTest) results = await runWireTests(wireNodes, segments, wireOptions);
  for (const seg of segments) {
    const r = results.find((x) => x.segment === seg);
    if (!r) {
      const why = seg.subnet.includes(':')
        ? 'the test packets are IPv4 only'
        : !seg.pair
          ? `the nodes have no shared interface on ${seg.subnet}`
          : `tcpdump, python3 or root is missing on ${listMissing(wireNodes)}`;
      for (const c of untestedChecks(seg, why, !seg.pair ? 'see Room for the VIP' : 'install tcpdump and python3 (the remedy does it) and log in as root or with password-less sudo', wireOptions.virtualMac)) emit(c);
      continue;
    }
    emit(vhidCheck(r, wireOptions));
    emit(multicastCheck(r));
    emit(virtualMacCheck(r, wireOptions.virtualMac));
  }

  const nodes: NodeFacts[] = ROLES.map((role) => ({
    role,
    target: sessions[role].label,
    hostname: inv[role].hostname,
    os: inv[role].os,
    arch: inv[role].arch,
    kernel: inv[role].kernel,
    hostKeyFingerprint: hostKeyFingerprint(inv[role], options.hostKeyFingerprints?.[role]),
    interfaces: inv[role].interfaces.map((i) => ({ name: i.name, mac: i.mac, up: i.up, addresses: i.addresses })),
    roles: nodeRoles(mapping, role),
    vhidsInUse: Object.fromEntries(segments.map((s) => [s.name, vhidsInUse(results, role)[s.name] ?? []])),
    carpdVersion: inv[role].carpdVersion,
    carpd: inv[role].carpd,
  }));
  return { time: started, nodes, checks, ok: checks.every((c) => c.status !== 'fail' || c.overridden === true) };
}

function listMissing(nodes: Record<NodeRole, WireNode>): string {
  return ROLES.filter((r) => !nodes[r].tools || nodes[r].privilege === 'none').map((r) => `the ${r}`).join(' and ');
}
