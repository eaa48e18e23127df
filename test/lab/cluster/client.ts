// The control panel's API as the page uses it: an oRPC client over the headless server's real WebSocket (Origin and
// token checked), plus background readers of the `nodes` and `timeline` streams that tests can wait on.
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/websocket';
import type { ContractRouterClient } from '@orpc/contract';
import WebSocket from 'ws';
import type { ClusterNode, Progress, TimelineEvent } from '../../../shared/api/cluster-contract.js';
import type { Contract } from '../../../shared/api/contract.js';
import { RPC_SUBPROTOCOL, tokenSubprotocol } from '../../../shared/api/transport.js';

export type Client = ContractRouterClient<Contract>;

export async function openClient(port: number, token: string): Promise<{ client: Client; socket: WebSocket }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/rpc`, [RPC_SUBPROTOCOL, tokenSubprotocol(token)], { origin: `http://127.0.0.1:${port}` });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { client: createORPCClient<Client>(new RPCLink({ websocket: socket as unknown as globalThis.WebSocket })), socket };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value (not undefined) or the time is up (then the last failure is thrown). */
export async function until<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export class NodesReader {
  latest: ClusterNode[] = [];
  constructor(client: Client, signal: AbortSignal) {
    void (async () => {
      for await (const u of await client.cluster.nodes({}, { signal })) this.latest = u.nodes;
    })().catch(() => undefined);
  }
  node(id: string): ClusterNode | undefined {
    return this.latest.find((n) => n.id === id);
  }
}

export interface Arrived {
  event: TimelineEvent;
  /** Epoch ms when the event reached this client. */
  at: number;
}

export class TimelineReader {
  readonly events: Arrived[] = [];
  readonly done: Promise<void>;
  constructor(client: Client, since: number | undefined, signal: AbortSignal) {
    this.done = (async () => {
      for await (const event of await client.cluster.timeline(since === undefined ? {} : { since }, { signal })) this.events.push({ event, at: Date.now() });
    })().catch(() => undefined);
  }
  find(pred: (e: TimelineEvent) => boolean, after = 0): Arrived | undefined {
    return this.events.find((a) => a.event.seq > after && pred(a.event));
  }
  get lastSeq(): number {
    return this.events.at(-1)?.event.seq ?? 0;
  }
}

export async function collect(stream: AsyncIterable<Progress>): Promise<Progress[]> {
  const out: Progress[] = [];
  for await (const p of stream) out.push(p);
  return out;
}
