// Handlers of shared/api/cluster-contract.ts.
import type { implement } from '@orpc/server';
import type { Contract } from '../../../shared/api/contract.js';

export type ClusterImplementer = ReturnType<typeof implement<Contract>>['cluster'];

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the control panel lands
export interface ClusterRouterDeps {}

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function clusterRouter(api: ClusterImplementer, deps: ClusterRouterDeps) {
  return {};
}
