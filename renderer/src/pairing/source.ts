// What the wizard needs from the backend: connected cluster nodes (and connecting one more, answering its
// prompts) and the pairing procedures. Tests stand in with their own.
import type { ContractRouterClient } from '@orpc/contract';
import type { ClusterNode, ConnectInput, ConnectUpdate } from '../../../shared/api/cluster-contract.js';
import type { pairingContract } from '../../../shared/api/pairing-contract.js';
import { getApi } from '../api/client.js';

export type PairingApi = ContractRouterClient<typeof pairingContract>;

export interface PairingSource {
  /** Every node the backend knows, a fresh list whenever something changes. */
  nodes(signal: AbortSignal): Promise<AsyncIterable<{ nodes: ClusterNode[] }>>;
  connect(input: ConnectInput, signal: AbortSignal): Promise<AsyncIterable<ConnectUpdate>>;
  answer(input: { id: string; accept?: boolean; answers?: string[] }): Promise<{ ok: boolean }>;
  pairing(): Promise<PairingApi>;
}

export const apiPairingSource: PairingSource = {
  async nodes(signal) {
    return (await getApi()).cluster.nodes({}, { signal });
  },
  async connect(input, signal) {
    return (await getApi()).cluster.connect(input, { signal });
  },
  async answer(input) {
    return (await getApi()).cluster.answer(input);
  },
  async pairing() {
    return (await getApi()).pairing;
  },
};
