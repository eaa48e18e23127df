// The backend's implementation of shared/api/contract.ts, the same for the Electron MessagePort and the
// headless server's WebSocket.
import { implement } from '@orpc/server';
import { contract, type SystemInfo } from '../../../shared/api/contract.js';
import { ClusterService } from '../cluster/service.js';
import { MemoryCredentialStore } from '../credentials/store.js';
import { createDiscoveryService, type DiscoveryService } from '../discovery/service.js';
import type { Platform } from '../platform.js';
import { defaultKnownHosts } from '../ssh/options.js';
import type { EventHub } from './events.js';
import { clusterRouter } from './cluster-router.js';
import { pairingRouter, type PairingRouterDeps } from './pairing-router.js';

export interface RouterDeps {
  platform: Platform;
  events: EventHub;
  /** Live discovery; default: the bundled capture helper next to the running bundle. */
  discovery?: DiscoveryService;
  /** The control panel's backend; default: one over platform.secrets and the default known-hosts file. */
  cluster?: ClusterService;
  pairing?: PairingRouterDeps;
}

export function createRouter({ platform, events, discovery = createDiscoveryService(), cluster, pairing = {} }: RouterDeps) {
  const api = implement(contract);
  const info = (): SystemInfo => ({ version: platform.version, mode: platform.mode, platform: platform.os });
  const clusterService = cluster ?? new ClusterService({ credentials: platform.secrets ?? new MemoryCredentialStore(), knownHostsFile: platform.knownHostsFile ?? defaultKnownHosts() });
  return api.router({
    system: {
      info: api.system.info.handler(() => info()),
      events: api.system.events.handler(({ input, signal }) => events.subscribe(info(), input ?? {}, signal)),
    },
    discovery: {
      interfaces: api.discovery.interfaces.handler(async ({ input }) => ({ interfaces: await discovery.interfaces(input?.probeSeconds ?? 0) })),
      watch: api.discovery.watch.handler(({ input, signal }) => discovery.watch(input, signal)),
      record: api.discovery.record.handler(({ input }) => discovery.record(input)),
      recording: api.discovery.recording.handler(({ input }) => discovery.recording(input)),
    },
    cluster: clusterRouter(api.cluster, { service: clusterService }),
    pairing: pairingRouter(api.pairing, { ...pairing, sessionOf: (id) => clusterService.session(id) }),
  });
}

export type AppRouter = ReturnType<typeof createRouter>;
