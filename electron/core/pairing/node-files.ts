// What the plan writes on each node: carpd's config (state sync, config sync), carpd's VIP list (the vhidsFile the
// config sync keeps identical on both nodes, each with its own interfaces and advskew) and the config sync identity.
import type { ClusterPlan, NodeFacts, NodeRole } from '../../../shared/pairing/schema.js';
import { carpctlArgv, CONFIG, CONFIG_DIR } from '../deploy/layout.js';

export const VIPS_FILE = `${CONFIG_DIR}/vips.json`;
export const SYNC_KEY = `${CONFIG_DIR}/sync/node.key`;
export const SYNC_CERT = `${CONFIG_DIR}/sync/node.crt`;
export const CONTROL_SOCKET = '/run/carpd.sock';

export interface SyncIdentity {
  key: string;
  cert: string;
  fingerprint: string;
}

export interface NodeFile {
  path: string;
  content: string;
  mode: number;
  /** Shown to people as this instead of the content (private keys). */
  secret?: string;
}

const other = (r: NodeRole): NodeRole => (r === 'primary' ? 'secondary' : 'primary');
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export function vipsFileText(plan: ClusterPlan, role: NodeRole): string {
  return json({
    vhids: plan.vips.map((v) => ({ vhid: v.vhid, interface: v.interfaces[role], advbase: v.advbase, advskew: plan.advskew[role], password: v.password, vips: v.vips })),
  });
}

export function carpdConfigText(plan: ClusterPlan, role: NodeRole, facts: NodeFacts, peerIdentity: SyncIdentity | undefined): string {
  const peer = other(role);
  const config: Record<string, unknown> = {
    node: facts.hostname,
    controlSocket: CONTROL_SOCKET,
    // relative to this file's folder, so the staged copy is checked against the staged VIP list
    vhidsFile: 'vips.json',
  };
  if (plan.stateSync) config.stateSync = { interface: plan.sync.interfaces[role], peer: plan.sync.addresses[peer], address: plan.sync.addresses[role] };
  if (plan.configSync && peerIdentity) {
    const interfaces = Object.fromEntries(
      [...new Set(plan.vips.map((v) => v.role))].map((r) => [r, plan.vips.find((v) => v.role === r)!.interfaces[role]]).concat([['sync', plan.sync.interfaces[role]]]),
    );
    config.configSync = {
      role: role === 'primary' ? 'source' : 'receiver',
      listen: plan.sync.addresses[role],
      peer: { address: plan.sync.addresses[peer], fingerprint: peerIdentity.fingerprint },
      key: SYNC_KEY,
      cert: SYNC_CERT,
      sections: [{ name: 'vips', files: [VIPS_FILE], apply: [...carpctlArgv(CONTROL_SOCKET), 'reload'] }],
      overrides: {
        interfaces: uniqueInterfaces(interfaces),
        // one pointer for every group: adding or removing a group then leaves carpd.json (and carpd) alone
        jsonOverlay: { [VIPS_FILE]: { '/vhids/*/advskew': plan.advskew[role] } },
      },
    };
  }
  return json(config);
}

/** Config sync placeholders must be unique per value: one role per interface name. */
function uniqueInterfaces(byRole: Record<string, string>): Record<string, string> {
  const seen = new Set<string>();
  return Object.fromEntries(Object.entries(byRole).filter(([, name]) => (seen.has(name) ? false : (seen.add(name), true))));
}

export function nodeFiles(plan: ClusterPlan, role: NodeRole, facts: NodeFacts, identities: Partial<Record<NodeRole, SyncIdentity>>): NodeFile[] {
  const files: NodeFile[] = [
    { path: CONFIG, content: carpdConfigText(plan, role, facts, identities[other(role)]), mode: 0o600 },
    { path: VIPS_FILE, content: vipsFileText(plan, role), mode: 0o600 },
  ];
  const own = identities[role];
  if (plan.configSync && own) {
    files.push({ path: SYNC_CERT, content: own.cert, mode: 0o644 });
    files.push({ path: SYNC_KEY, content: own.key, mode: 0o600, secret: `(private key of ${facts.hostname}'s config sync certificate: generated on this computer, not shown)\n` });
  }
  return files;
}
