// The backend's implementation of shared/api/contract.ts, the same for the Electron MessagePort and the
// headless server's WebSocket.
import { implement } from '@orpc/server';
import { contract, type SystemInfo } from '../../../shared/api/contract.js';
import { createDiscoveryService, type DiscoveryService } from '../discovery/service.js';
import type { Platform } from '../platform.js';
import type { EventHub } from './events.js';
import { clusterRouter, type ClusterRouterDeps } from './cluster-router.js';
import { pairingRouter, type PairingRouterDeps } from './pairing-router.js';

export interface RouterDeps {
  platform: Platform;
  events: EventHub;
  /** Live discovery; default: the bundled capture helper next to the running bundle. */
  discovery?: DiscoveryService;
  cluster?: ClusterRouterDeps;
  pairing?: PairingRouterDeps;
}

export function createRouter({ platform, events, discovery = createDiscoveryService(), cluster = {}, pairing = {} }: RouterDeps) {
  const api = implement(contract);
  const info = (): SystemInfo => ({ version: platform.version, mode: platform.mode, platform: platform.os });
  return api.router({
    system: {
      info: api.system.info.handler(() => info()),
      events: api.system.events.handler(({ input, signal }) => events.subscribe(info(), input ?? {}, signal)),
    },
    discovery: {
      interfaces: api.discovery.interfaces.handler(async ({ input }) => ({ interfaces: await discovery.interfaces(input?.probeSeconds ?? 0) })),
      watch: api.discovery.watch.handler(({ input, signal }) => discovery.watch(input, signal)),
    },
    cluster: clusterRouter(api.cluster, cluster),
    pairing: pairingRouter(api.pairing, pairing),
  });
}

export type AppRouter = ReturnType<typeof createRouter>;
