// One live discovery from the UI: starts a watch on an interface, keeps the latest snapshot and every event, and
// says how it ended (the capture's error with its fix, or the connection dropping).
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { DiscoveryUpdate } from '../../../shared/api/contract.js';
import type { DiscoverySource } from './source.js';

type Snapshot = Extract<DiscoveryUpdate, { kind: 'snapshot' }>['snapshot'];
type Event = Extract<DiscoveryUpdate, { kind: 'event' }>['event'];

export interface DiscoveryState {
  status: 'idle' | 'starting' | 'live' | 'ended';
  iface: string | null;
  snapshot: Snapshot | null;
  events: Event[];
  error: { code: string; message: string; fix?: string } | null;
}

const MAX_EVENTS = 500;
/** The table refreshes once a second; events still arrive the moment they happen. */
const SNAPSHOT_MS = 1000;
const IDLE: DiscoveryState = { status: 'idle', iface: null, snapshot: null, events: [], error: null };

export function useDiscovery(source: DiscoverySource) {
  const [state, setState] = useState<DiscoveryState>(IDLE);
  const running = useRef<AbortController | null>(null);

  const stop = useCallback(() => {
    running.current?.abort();
    running.current = null;
    setState((s) => (s.status === 'idle' ? s : { ...s, status: 'ended' }));
  }, []);

  const start = useCallback(
    async (iface: string, secrets?: { vhid: number; password: string; vips?: string[] }[]) => {
      running.current?.abort();
      const abort = new AbortController();
      running.current = abort;
      setState({ ...IDLE, status: 'starting', iface });
      try {
        const stream = await source.watch({ interface: iface, secrets, snapshotMs: SNAPSHOT_MS }, abort.signal);
        for await (const u of stream) {
          if (abort.signal.aborted) break;
          // events at once; the whole picture as an interruptible update, so a big segment never blocks the page
          if (u.kind === 'snapshot') startTransition(() => setState((s) => apply(s, u)));
          else setState((s) => apply(s, u));
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        setState((s) => ({ ...s, status: 'ended', error: { code: 'connection', message: `Discovery stopped: ${err instanceof Error ? err.message : String(err)}` } }));
        return;
      }
      if (running.current === abort) setState((s) => ({ ...s, status: 'ended' }));
    },
    [source],
  );

  useEffect(() => () => running.current?.abort(), []);
  return { state, start, stop };
}

function apply(s: DiscoveryState, u: DiscoveryUpdate): DiscoveryState {
  if (u.kind === 'event') {
    const events = s.events.length >= MAX_EVENTS ? [...s.events.slice(1), u.event] : [...s.events, u.event];
    return { ...s, status: s.status === 'starting' ? 'live' : s.status, events };
  }
  if (u.kind === 'snapshot') return { ...s, status: 'live', snapshot: u.snapshot };
  return { ...s, status: 'ended', snapshot: u.snapshot, error: u.error ?? null };
}
