// Discovery for the API (discovery.interfaces, discovery.watch): one capture session per watch, its events
// forwarded at once and its snapshot at a fixed interval (a slow consumer gets the latest snapshot, not a backlog).
// Streamed snapshots leave out the events, which the same stream has already delivered one by one.
import type { DiscoveryUpdate, DiscoveryWatchInput } from '../../../shared/api/contract.js';
import { listInterfaces, probeInterfaces, type InterfaceInfo } from './interfaces.js';
import { startDiscovery } from './session.js';

export interface DiscoveryService {
  interfaces(probeSeconds: number): Promise<InterfaceInfo[]>;
  watch(input: DiscoveryWatchInput, signal?: AbortSignal): AsyncGenerator<DiscoveryUpdate, void, undefined>;
}

export interface DiscoveryServiceOptions {
  helperPath?: string;
  tcpdumpPath?: string | null;
}

export function createDiscoveryService(opts: DiscoveryServiceOptions = {}): DiscoveryService {
  return {
    async interfaces(probeSeconds) {
      const list = listInterfaces();
      return probeSeconds > 0 ? probeInterfaces(list, probeSeconds, opts.helperPath) : list;
    },

    async *watch(input, signal) {
      const queue: DiscoveryUpdate[] = [];
      let wake: (() => void) | null = null;
      let seq = 0;
      const push = (u: DiscoveryUpdate) => {
        const last = queue.at(-1);
        if (u.kind === 'snapshot' && last?.kind === 'snapshot') queue[queue.length - 1] = u;
        else queue.push(u);
        wake?.();
      };
      const session = startDiscovery({
        iface: input.interface,
        secrets: input.secrets,
        quietSeconds: input.quietSeconds,
        helperPath: opts.helperPath,
        tcpdumpPath: opts.tcpdumpPath,
        onEvent: (event) => push({ seq: ++seq, kind: 'event', event }),
      });
      const snapshot = () => push({ seq: ++seq, kind: 'snapshot', snapshot: session.snapshot(false) });
      const timer = setInterval(snapshot, input.snapshotMs ?? 500);
      const stop = () => session.stop();
      signal?.addEventListener('abort', stop);
      void session.done.then((failure) => {
        const end: DiscoveryUpdate = { seq: ++seq, kind: 'end', snapshot: session.snapshot() };
        if (failure) end.error = { code: failure.code, message: failure.message, ...(failure.fix ? { fix: failure.fix } : {}) };
        push(end);
      });
      snapshot();
      try {
        for (;;) {
          const u = queue.shift();
          if (u) {
            yield u;
            if (u.kind === 'end') return;
            continue;
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
      } finally {
        clearInterval(timer);
        signal?.removeEventListener('abort', stop);
        session.stop();
      }
    },
  };
}
