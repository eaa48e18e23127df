import { familyOf, type StateSyncConfig } from './config.js';
import type { HostDeps } from './deps.js';

export type PreflightCheckId = 'conntrackd-installed' | 'sync-interface' | 'sync-address' | 'peer-reachable' | 'peer-messages' | 'conntrack-accounting';

export interface PreflightCheck {
  id: PreflightCheckId;
  ok: boolean;
  /** What was found, for people. */
  message: string;
  /** How to fix it, when not ok. */
  fix?: string;
}

export interface PreflightResult {
  ok: boolean;
  checks: PreflightCheck[];
}

interface LinkInfo {
  operstate?: string;
  flags?: string[];
  addr_info?: { family: string; local: string; scope?: string }[];
}

/** `ip -j addr show dev IFACE`, or null when the interface does not exist. */
export async function interfaceInfo(host: HostDeps, iface: string): Promise<LinkInfo | null> {
  const r = await host.exec(['ip', '-j', 'addr', 'show', 'dev', iface], 5000);
  if (r.code !== 0) return null;
  try {
    return (JSON.parse(r.stdout) as LinkInfo[])[0] ?? null;
  } catch {
    return null;
  }
}

/** This node's sync address: the configured one, else the interface's first global address of the right family. */
export function pickLocalAddress(config: StateSyncConfig, info: LinkInfo | null): string | null {
  if (config.address) return config.address;
  const want = config.transport === 'multicast' ? 4 : config.peer ? familyOf(config.peer) : 4;
  const a = (info?.addr_info ?? []).find((x) => x.family === (want === 4 ? 'inet' : 'inet6') && x.scope !== 'link');
  return a?.local ?? null;
}

export const isUp = (info: LinkInfo | null): boolean => Boolean(info?.flags?.includes('UP') && info.flags.includes('LOWER_UP'));

/**
 * What must hold before state sync can work (used at start and by the pairing wizard). `peerHeard` is whether the
 * peer's conntrackd messages arrive (null when conntrackd is not running, so it cannot be known).
 */
export async function preflight(config: StateSyncConfig, host: HostDeps, peerHeard: boolean | null): Promise<PreflightResult> {
  const checks: PreflightCheck[] = [];
  const version = await host.exec([config.conntrackd, '-v'], 5000);
  checks.push(
    version.code === 0
      ? { id: 'conntrackd-installed', ok: true, message: version.stdout.split('\n')[0].trim() }
      : { id: 'conntrackd-installed', ok: false, message: `${config.conntrackd} cannot be run: ${version.stderr || `exit ${version.code}`}`, fix: 'install conntrackd (Debian: apt-get install conntrackd) or set stateSync.conntrackd to its path' },
  );

  const info = await interfaceInfo(host, config.interface);
  if (!info) {
    checks.push({ id: 'sync-interface', ok: false, message: `interface ${config.interface} does not exist`, fix: 'set stateSync.interface to the dedicated sync link' });
  } else {
    checks.push(
      isUp(info)
        ? { id: 'sync-interface', ok: true, message: `${config.interface} is up` }
        : { id: 'sync-interface', ok: false, message: `${config.interface} is down (${info.operstate ?? 'unknown'})`, fix: `bring it up (ip link set ${config.interface} up) and check the cable` },
    );
  }
  const local = pickLocalAddress(config, info);
  checks.push(
    local
      ? { id: 'sync-address', ok: true, message: `this node syncs from ${local}` }
      : { id: 'sync-address', ok: false, message: `${config.interface} has no usable address`, fix: `add an address on the sync link (ip addr add 10.0.3.2/24 dev ${config.interface}) or set stateSync.address` },
  );

  if (config.peer) {
    const ping = await host.exec(['ping', '-n', '-q', '-c', '2', '-i', '0.2', '-W', '1', '-I', config.interface, config.peer], 5000);
    checks.push(
      ping.code === 0
        ? { id: 'peer-reachable', ok: true, message: `${config.peer} answers on ${config.interface}` }
        : { id: 'peer-reachable', ok: false, message: `${config.peer} does not answer pings on ${config.interface}`, fix: 'check the sync link, the peer\'s address and that its firewall accepts ICMP and UDP on the sync interface' },
    );
  }
  if (peerHeard !== null) {
    checks.push(
      peerHeard
        ? { id: 'peer-messages', ok: true, message: 'the peer\'s conntrackd messages arrive' }
        : { id: 'peer-messages', ok: false, message: `no conntrackd message from the peer arrives on UDP port ${config.port}`, fix: `allow UDP ${config.port} on the sync link in both firewalls and make sure the peer runs carpd with stateSync` },
    );
  }

  const acct = await host.exec(['sysctl', '-n', 'net.netfilter.nf_conntrack_acct'], 5000);
  const on = acct.code === 0 && acct.stdout.trim() === '1';
  checks.push(
    on
      ? { id: 'conntrack-accounting', ok: true, message: 'conntrack accounting is on' }
      : {
          id: 'conntrack-accounting',
          ok: false,
          message: acct.code === 0 ? 'conntrack accounting is off' : 'net.netfilter.nf_conntrack_acct does not exist (nf_conntrack not loaded)',
          fix: 'sysctl -w net.netfilter.nf_conntrack_acct=1 (and persist it in /etc/sysctl.d)',
        },
  );
  return { ok: checks.every((c) => c.ok), checks };
}
