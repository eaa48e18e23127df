// A preflight report like the lab's: two nodes with lan, wan and sync on the same subnets (names may differ).
import type { CurrentVhid, NodeFacts, PreflightCheck, PreflightReport } from '../../../shared/pairing/schema.js';

interface NodeSpec {
  hostname?: string;
  lan?: string | null;
  wan?: string | null;
  sync?: string | null;
  names?: { lan?: string; wan?: string; sync?: string };
  vhidsInUse?: Record<string, number[]>;
  /** IPv6 addresses (with prefix) added to a segment's interface. */
  v6?: { lan?: string[]; wan?: string[] };
  /** The vhid groups carpd runs on the node now (a pair paired before). */
  carpd?: CurrentVhid[];
}

function node(role: 'primary' | 'secondary', host: number, spec: NodeSpec): NodeFacts {
  const names = { lan: 'lan', wan: 'wan', sync: 'sync', ...spec.names };
  const addr = { lan: spec.lan === undefined ? `10.0.1.${host}/24` : spec.lan, wan: spec.wan === undefined ? `198.51.100.${host}/24` : spec.wan, sync: spec.sync === undefined ? `10.0.2.${host}/24` : spec.sync };
  const interfaces: NodeFacts['interfaces'] = (['lan', 'wan', 'sync'] as const)
    .filter((r) => addr[r] !== null)
    .map((r) => ({ name: names[r], mac: `02:00:00:00:0${host}:0${r.length}`, up: true, addresses: [addr[r] as string, ...((r !== 'sync' && spec.v6?.[r]) || [])] }));
  interfaces.push({ name: 'mgmt', mac: null, up: true, addresses: [`100.64.200.${10 + host}/24`] });
  const roles = Object.fromEntries((['lan', 'wan', 'sync'] as const).filter((r) => addr[r] !== null).map((r) => [r, names[r]]));
  return {
    role,
    target: `root@100.64.200.${10 + host}`,
    hostname: spec.hostname ?? (role === 'primary' ? 'fw1' : 'fw2'),
    os: 'Debian GNU/Linux 12 (bookworm)',
    arch: 'x86_64',
    kernel: '6.1.0',
    hostKeyFingerprint: `SHA256:${'A'.repeat(42)}${host}`,
    interfaces,
    roles,
    vhidsInUse: spec.vhidsInUse ?? { lan: [], wan: [] },
    carpdVersion: spec.carpd ? '0.4.0-1a2b3c4d5e6f' : null,
    carpd: spec.carpd ? { vhids: spec.carpd } : null,
  };
}

export function preflightReport(primary: NodeSpec = {}, secondary: NodeSpec = {}, checks: PreflightCheck[] = []): PreflightReport {
  return { time: 1_764_000_000_000, nodes: [node('primary', 2, primary), node('secondary', 3, secondary)], checks, ok: !checks.some((c) => c.status === 'fail') };
}

export const passCheck = (id: string, title: string): PreflightCheck => ({ id, node: null, title, status: 'pass', detail: 'fine', fix: '', overridable: false });
