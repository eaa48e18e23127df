// Handlers of shared/api/cluster-contract.ts, over the cluster service (electron/core/cluster).
import type { implement } from '@orpc/server';
import type { Contract } from '../../../shared/api/contract.js';
import type { ClusterService } from '../cluster/service.js';

export type ClusterImplementer = ReturnType<typeof implement<Contract>>['cluster'];

export interface ClusterRouterDeps {
  service: ClusterService;
}

export function clusterRouter(api: ClusterImplementer, { service }: ClusterRouterDeps) {
  return {
    connect: api.connect.handler(({ input, signal }) => service.connect(input, signal)),
    answer: api.answer.handler(({ input }) => service.answer(input.id, { accept: input.accept, answers: input.answers })),
    disconnect: api.disconnect.handler(({ input }) => service.disconnect(input.node)),
    nodes: api.nodes.handler(({ signal }) => service.nodes(signal)),
    timeline: api.timeline.handler(({ input, signal }) => service.timelineStream(input?.since, signal)),
    action: api.action.handler(({ input, signal }) => service.action(input.action, input.node, signal)),
    deploy: api.deploy.handler(({ input, signal }) => service.deploy(input, signal)),
    credentials: {
      list: api.credentials.list.handler(() => service.credentialList()),
      forget: api.credentials.forget.handler(({ input }) => service.forget(input.target)),
    },
    hostKeys: {
      list: api.hostKeys.list.handler(() => service.hostKeyList()),
      replace: api.hostKeys.replace.handler(({ input }) => service.hostKeyReplace(input)),
      forget: api.hostKeys.forget.handler(({ input }) => service.hostKeyForget(input.target)),
    },
  };
}
