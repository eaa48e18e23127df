// What `lab up/status --json` print: the lab as scripts and the app use it (no pids or host paths of the trees).
import type { LabState } from './layout.js';

export function labView(state: LabState) {
  return {
    name: state.name,
    management: state.management,
    nodes: state.nodes.map((n) => ({
      name: n.name,
      namespace: n.namespace,
      address: n.address,
      user: n.user,
      keyFile: n.keyFile,
      passwordFile: n.passwordFile,
      logins: n.logins,
      hostKeyFingerprint: n.hostKeyFingerprint,
      interfaces: n.interfaces,
      addresses: n.addresses,
    })),
    client: state.client,
    server: state.server,
  };
}

export function formatLab(state: LabState): string {
  const lines = [`lab "${state.name}": management ${state.management.subnet} (host ${state.management.hostAddress} on ${state.management.bridge})`];
  for (const n of state.nodes) {
    lines.push(`  ${n.name}  ssh -i ${n.keyFile} ${n.user}@${n.address}   netns ${n.namespace}   lan ${n.addresses.lan}  wan ${n.addresses.wan}  sync ${n.addresses.sync}`);
    lines.push(`        host key ${n.hostKeyFingerprint}`);
  }
  lines.push(`  client  netns ${state.client.namespace}  ${state.client.address} (gateway ${state.client.gateway})`);
  lines.push(`  server  netns ${state.server.namespace}  ${state.server.address} (gateway ${state.server.gateway})`);
  lines.push(`  root password of the nodes: ${state.nodes[0]?.passwordFile ?? '-'}`);
  const logins = state.nodes[0]?.logins;
  if (logins) lines.push(`  other logins (same key and password): ${logins.sudo} (password-less sudo), ${logins.plain} (no sudo)`);
  return lines.join('\n');
}
