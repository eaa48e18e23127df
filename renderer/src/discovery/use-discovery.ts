// One live discovery from the UI: starts a watch on an interface, keeps the latest snapshot and every event, and
// says how it ended (the capture's error with its fix, or the connection dropping).
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { DiscoveryRecording, DiscoveryUpdate } from '../../../shared/api/contract.js';
import type { DiscoverySource } from './source.js';

type Snapshot = Extract<DiscoveryUpdate, { kind: 'snapshot' }>['snapshot'];
type Event = Extract<DiscoveryUpdate, { kind: 'event' }>['event'];

export interface DiscoveryState {
  status: 'idle' | 'starting' | 'live' | 'ended';
  iface: string | null;
  snapshot: Snapshot | null;
  events: Event[];
  error: { code: string; message: string; fix?: string } | null;
  /** Names the running watch (for recording). */
  watch: string | null;
  /** This watch's recording, if one was started. */
  recording: DiscoveryRecording | null;
  /** Why starting or stopping the recording failed. */
  recordError: string | null;
}

const MAX_EVENTS = 500;
/** The table refreshes once a second; events still arrive the moment they happen. */
const SNAPSHOT_MS = 1000;
const IDLE: DiscoveryState = { status: 'idle', iface: null, snapshot: null, events: [], error: null, watch: null, recording: null, recordError: null };

export function useDiscovery(source: DiscoverySource) {
  const [state, setState] = useState<DiscoveryState>(IDLE);
  const running = useRef<AbortController | null>(null);

  const stop = useCallback(() => {
    running.current?.abort();
    running.current = null;
    // the backend ends the watch's recording with it
    setState((s) => (s.status === 'idle' ? s : { ...s, status: 'ended', recording: s.recording?.active ? { ...s.recording, active: false, stopped: 'capture-ended' } : s.recording }));
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

  const watchRef = useRef<string | null>(null);
  watchRef.current = state.status === 'live' ? state.watch : null;
  const record = useCallback(
    async (on: boolean) => {
      const watch = watchRef.current;
      if (!watch) return;
      try {
        const recording = await source.record(watch, on);
        setState((s) => (s.watch === watch ? { ...s, recording, recordError: null } : s));
      } catch (err) {
        setState((s) => (s.watch === watch ? { ...s, recordError: err instanceof Error ? err.message : String(err) } : s));
      }
    },
    [source],
  );

  useEffect(() => () => running.current?.abort(), []);
  return { state, start, stop, record };
}

function apply(s: DiscoveryState, u: DiscoveryUpdate): DiscoveryState {
  if (u.kind === 'event') {
    const events = s.events.length >= MAX_EVENTS ? [...s.events.slice(1), u.event] : [...s.events, u.event];
    return { ...s, status: s.status === 'starting' ? 'live' : s.status, events };
  }
  const watch = u.watch ?? s.watch;
  const recording = u.recording ?? s.recording;
  if (u.kind === 'snapshot') {
    const snapshot = u.findingsOmitted && s.snapshot ? { ...u.snapshot, findings: s.snapshot.findings } : u.snapshot;
    return { ...s, status: 'live', snapshot, watch, recording };
  }
  return { ...s, status: 'ended', snapshot: u.snapshot, error: u.error ?? null, watch, recording };
}
