// What the control panel needs from the backend (the cluster procedures of the API), so tests can stand in.
import type {
  ClusterAction,
  ClusterNode,
  ConnectInput,
  ConnectUpdate,
  ForgetHostKeyResult,
  HostKeyChange,
  KnownHostsList,
  Progress,
  ReplaceHostKeyInput,
  ReplaceHostKeyResult,
  TimelineEvent,
} from '../../../shared/api/cluster-contract.js';
import { getApi } from '../api/client.js';

export interface PromptAnswer {
  id: string;
  accept?: boolean;
  answers?: string[];
}

/** The pinned host keys (cluster.hostKeys): every answer is a value, ok or an error with its fix. */
export interface HostKeySource {
  list(): Promise<KnownHostsList>;
  replace(input: ReplaceHostKeyInput): Promise<ReplaceHostKeyResult>;
  forget(target: string): Promise<ForgetHostKeyResult>;
}

export interface ClusterSource {
  connect(input: ConnectInput, signal: AbortSignal): Promise<AsyncIterable<ConnectUpdate>>;
  answer(answer: PromptAnswer): Promise<void>;
  disconnect(node: string): Promise<void>;
  nodes(signal: AbortSignal): Promise<AsyncIterable<{ nodes: ClusterNode[] }>>;
  /** The merged timeline after `since` (the last seq already held; 0 for all the backend keeps): no gaps, no repeats. */
  timeline(since: number, signal: AbortSignal): Promise<AsyncIterable<TimelineEvent>>;
  action(action: ClusterAction, node: string | undefined, signal: AbortSignal): Promise<AsyncIterable<Progress>>;
  deploy(input: { node: string; config: string; configName?: string }, signal: AbortSignal): Promise<AsyncIterable<Progress>>;
  credentials(): Promise<{ persistent: boolean; targets: string[] }>;
  forgetCredential(target: string): Promise<void>;
  /** Absent when the backend cannot list or replace pinned host keys. */
  hostKeys?: HostKeySource;
}

export const apiClusterSource: ClusterSource = {
  async connect(input, signal) {
    return (await getApi()).cluster.connect(input, { signal });
  },
  async answer(answer) {
    await (await getApi()).cluster.answer(answer);
  },
  async disconnect(node) {
    await (await getApi()).cluster.disconnect({ node });
  },
  async nodes(signal) {
    return (await getApi()).cluster.nodes({}, { signal });
  },
  async timeline(since, signal) {
    return (await getApi()).cluster.timeline({ since }, { signal });
  },
  async action(action, node, signal) {
    return (await getApi()).cluster.action(node === undefined ? { action } : { action, node }, { signal });
  },
  async deploy(input, signal) {
    return (await getApi()).cluster.deploy(input, { signal });
  },
  async credentials() {
    return (await getApi()).cluster.credentials.list();
  },
  async forgetCredential(target) {
    await (await getApi()).cluster.credentials.forget({ target });
  },
  hostKeys: {
    async list() {
      return (await getApi()).cluster.hostKeys.list();
    },
    async replace(input) {
      return (await getApi()).cluster.hostKeys.replace(input);
    },
    async forget(target) {
      return (await getApi()).cluster.hostKeys.forget({ target });
    },
  },
};

/** A failure as the panel shows it: a code, what happened, and how to fix it when known. */
export interface PanelError {
  code: string;
  message: string;
  fix?: string;
  /** Set on a refused, changed host key: both fingerprints as data. */
  hostKey?: HostKeyChange;
}

export function toPanelError(err: unknown): PanelError {
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; message?: unknown; data?: { fix?: unknown } };
    const code = typeof e.code === 'string' ? e.code : 'ERROR';
    const message = typeof e.message === 'string' && e.message ? e.message : String(err);
    const fix = typeof e.data?.fix === 'string' ? e.data.fix : undefined;
    return fix ? { code, message, fix } : { code, message };
  }
  return { code: 'ERROR', message: String(err) };
}
