// Handlers of shared/api/cluster-contract.ts.
import { ORPCError, type implement } from '@orpc/server';
import type { Contract } from '../../../shared/api/contract.js';

export type ClusterImplementer = ReturnType<typeof implement<Contract>>['cluster'];

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the control panel lands
export interface ClusterRouterDeps {}

const pending = () => {
  throw new ORPCError('NOT_IMPLEMENTED', { message: 'the control panel backend is being built' });
};

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function clusterRouter(api: ClusterImplementer, deps: ClusterRouterDeps) {
  return {
    connect: api.connect.handler(pending),
    answer: api.answer.handler(pending),
    disconnect: api.disconnect.handler(pending),
    nodes: api.nodes.handler(pending),
    timeline: api.timeline.handler(pending),
    action: api.action.handler(pending),
    deploy: api.deploy.handler(pending),
    credentials: { list: api.credentials.list.handler(pending), forget: api.credentials.forget.handler(pending) },
  };
}
