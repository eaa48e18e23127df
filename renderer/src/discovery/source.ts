// What the Discovery view needs from the backend (the discovery procedures of the API), so tests can stand in.
import type { DiscoveryInterface, DiscoveryRecording, DiscoveryRecordingChunk, DiscoveryUpdate, DiscoveryWatchInput } from '../../../shared/api/contract.js';
import { getApi } from '../api/client.js';

export interface DiscoverySource {
  interfaces(probeSeconds: number): Promise<DiscoveryInterface[]>;
  watch(input: DiscoveryWatchInput, signal: AbortSignal): Promise<AsyncIterable<DiscoveryUpdate>>;
  /** Starts (a new) or stops the recording of a running watch. */
  record(watch: string, record: boolean): Promise<DiscoveryRecording>;
  /** One chunk of a recording's pcapng file from `offset`. */
  recordingChunk(id: string, offset: number): Promise<DiscoveryRecordingChunk>;
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
  async record(watch, record) {
    const api = await getApi();
    return api.discovery.record({ watch, record });
  },
  async recordingChunk(id, offset) {
    const api = await getApi();
    return api.discovery.recording({ id, offset });
  },
};
