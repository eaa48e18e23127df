// A stand-in for the cluster procedures: every stream is a channel the test feeds, and every call is recorded.
import { act } from '@testing-library/react';
import type { ClusterAction, ClusterNode, ConnectInput, ConnectUpdate, Progress, TimelineEvent } from '../../../shared/api/cluster-contract.js';
import type { ClusterSource, PromptAnswer } from '../../../renderer/src/cluster/source.js';

/** An async stream the test pushes into, ends, or breaks. */
export class Channel<T> implements AsyncIterable<T> {
  private queue: ({ item: T } | { end: true } | { error: unknown })[] = [];
  private wake: (() => void) | null = null;

  constructor(private readonly signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.wake?.());
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    while (!this.signal?.aborted) {
      const next = this.queue.shift();
      if (!next) {
        await new Promise<void>((r) => (this.wake = r));
        continue;
      }
      if ('end' in next) return;
      if ('error' in next) throw next.error;
      yield next.item;
    }
  }

  async push(...items: T[]): Promise<void> {
    for (const item of items) this.queue.push({ item });
    await this.flush();
  }

  async end(): Promise<void> {
    this.queue.push({ end: true });
    await this.flush();
  }

  async fail(error: unknown): Promise<void> {
    this.queue.push({ error });
    await this.flush();
  }

  private async flush(): Promise<void> {
    await act(async () => {
      this.wake?.();
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

export class FakeClusterSource implements ClusterSource {
  connects: { input: ConnectInput; stream: Channel<ConnectUpdate> }[] = [];
  answers: PromptAnswer[] = [];
  disconnects: string[] = [];
  forgotten: string[] = [];
  nodeStreams: Channel<{ nodes: ClusterNode[] }>[] = [];
  /** Each timeline subscription with the `since` it asked for. */
  timelines: { since: number; stream: Channel<TimelineEvent> }[] = [];
  actions: { action: ClusterAction; node: string | undefined; stream: Channel<Progress> }[] = [];
  deploys: { input: { node: string; config: string; configName?: string }; stream: Channel<Progress> }[] = [];
  persistent = true;

  async connect(input: ConnectInput, signal: AbortSignal) {
    const stream = new Channel<ConnectUpdate>(signal);
    this.connects.push({ input, stream });
    return stream;
  }
  async answer(a: PromptAnswer) {
    this.answers.push(a);
  }
  async disconnect(node: string) {
    this.disconnects.push(node);
  }
  async nodes(signal: AbortSignal) {
    const stream = new Channel<{ nodes: ClusterNode[] }>(signal);
    this.nodeStreams.push(stream);
    return stream;
  }
  async timeline(since: number, signal: AbortSignal) {
    const stream = new Channel<TimelineEvent>(signal);
    this.timelines.push({ since, stream });
    return stream;
  }
  async action(action: ClusterAction, node: string | undefined, signal: AbortSignal) {
    const stream = new Channel<Progress>(signal);
    this.actions.push({ action, node, stream });
    return stream;
  }
  async deploy(input: { node: string; config: string; configName?: string }, signal: AbortSignal) {
    const stream = new Channel<Progress>(signal);
    this.deploys.push({ input, stream });
    return stream;
  }
  async credentials() {
    return { persistent: this.persistent, targets: [] };
  }
  async forgetCredential(target: string) {
    this.forgotten.push(target);
  }

  get nodeStream() {
    return this.nodeStreams.at(-1)!;
  }
  get timelineStream() {
    return this.timelines.at(-1)!.stream;
  }
}

export const T0 = Date.UTC(2026, 10, 26, 5, 0, 0);

export function event(seq: number, over: Partial<TimelineEvent> = {}): TimelineEvent {
  return { seq, node: 'root@10.77.0.11', nodeSeq: seq, time: T0 + seq * 1000, kind: 'state', vhid: 1, old: 'BACKUP', new: 'MASTER', cause: `cause ${seq}`, failover: false, ...over };
}

type Vhid = NonNullable<ClusterNode['carpd']>['vhids'][number];

export function vhid(over: Partial<Vhid> = {}): Vhid {
  return { vhid: 1, interface: 'lan', state: 'MASTER', vips: ['10.0.1.1/24'], advbase: 1, advskew: 0, demotion: 0, master: 'this node', why: 'lowest advskew (0 vs 100 on the peer)', ...over };
}

export function node(id: string, over: Partial<ClusterNode> = {}, carpd: Partial<NonNullable<ClusterNode['carpd']>> = {}): ClusterNode {
  return {
    id,
    fingerprint: 'SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
    connection: { state: 'ready' },
    credentialSaved: false,
    carpd: { running: true, name: 'fw1', version: '0.1.0', maintenance: false, demotion: 0, demotionReasons: {}, vhids: [vhid()], stateSync: null, configSync: null, ...carpd },
    updated: T0,
    ...over,
  };
}

/** Lets pending promise callbacks and effects run. */
export async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}
