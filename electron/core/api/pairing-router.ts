// Handlers of shared/api/pairing-contract.ts.
import { ORPCError, type implement } from '@orpc/server';
import type { Contract } from '../../../shared/api/contract.js';
import type { SshSession } from '../ssh/session.js';

export type PairingImplementer = ReturnType<typeof implement<Contract>>['pairing'];

export interface PairingRouterDeps {
  /** The SSH session of a connected cluster node (by its cluster id); throws a clear error when not connected. */
  sessionOf?: (node: string) => SshSession;
}

const pending = () => {
  throw new ORPCError('NOT_IMPLEMENTED', { message: 'the pairing backend is being built' });
};

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function pairingRouter(api: PairingImplementer, deps: PairingRouterDeps) {
  return {
    start: api.start.handler(pending),
    preflight: api.preflight.handler(pending),
    remedy: api.remedy.handler(pending),
    plan: api.plan.handler(pending),
    apply: api.apply.handler(pending),
    verify: api.verify.handler(pending),
    drill: api.drill.handler(pending),
    report: api.report.handler(pending),
  };
}
