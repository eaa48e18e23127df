// What the Discovery view needs from the backend (the discovery procedures of the API), so tests can stand in.
import type { DiscoveryInterface, DiscoveryUpdate, DiscoveryWatchInput } from '../../../shared/api/contract.js';
import { getApi } from '../api/client.js';

export interface DiscoverySource {
  interfaces(probeSeconds: number): Promise<DiscoveryInterface[]>;
  watch(input: DiscoveryWatchInput, signal: AbortSignal): Promise<AsyncIterable<DiscoveryUpdate>>;
}

export const apiDiscoverySource: DiscoverySource = {
  async interfaces(probeSeconds) {
    const api = await getApi();
    return (await api.discovery.interfaces({ probeSeconds })).interfaces;
  },
  async watch(input, signal) {
    const api = await getApi();
    return api.discovery.watch(input, { signal });
  },
};
