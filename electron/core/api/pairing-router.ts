// Handlers of shared/api/pairing-contract.ts.
import type { implement } from '@orpc/server';
import type { Contract } from '../../../shared/api/contract.js';

export type PairingImplementer = ReturnType<typeof implement<Contract>>['pairing'];

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the wizard lands
export interface PairingRouterDeps {}

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function pairingRouter(api: PairingImplementer, deps: PairingRouterDeps) {
  return {};
}
