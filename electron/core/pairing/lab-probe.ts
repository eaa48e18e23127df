// The drill's probe when the pair is a CarpDeck lab (`carpdeck lab up`): the lab's client namespace on the LAN pings
// the server namespace behind the firewall and keeps a TCP flow to an echo service started there. Found by matching
// the nodes' SSH addresses with a lab's state file; undefined for anything else (a real site names its own probe).
import { existsSync, readdirSync } from 'node:fs';
import { LAB_ROOT } from '../lab/layout.js';
import { readState } from '../lab/state.js';
import type { ProbeSpec } from './probe.js';

export const LAB_FLOW_PORT = 7777;

export function labProbe(hosts: { primary: string; secondary: string }): ProbeSpec | undefined {
  if (!existsSync(LAB_ROOT)) return undefined;
  for (const name of readdirSync(LAB_ROOT)) {
    const state = readState(name);
    const addresses = state?.nodes.map((n) => n.address) ?? [];
    if (state && addresses.includes(hosts.primary) && addresses.includes(hosts.secondary)) {
      return { kind: 'netns', namespace: state.client.namespace, target: state.server.address, flow: { port: LAB_FLOW_PORT, serverNamespace: state.server.namespace } };
    }
  }
  return undefined;
}
