// The merged timeline, followed across reconnects: every resubscription asks for the events after the last seq
// held, so nothing is missed and nothing shows twice.
import { useEffect, useRef, useState } from 'react';
import type { TimelineEvent } from '../../../shared/api/cluster-contract.js';
import { follow, type FollowOptions } from './follow.js';
import type { ClusterSource, PanelError } from './source.js';
import { addEvent } from './timeline.js';

export interface TimelineState {
  events: readonly TimelineEvent[];
  status: 'connecting' | 'live' | 'reconnecting';
  error: PanelError | null;
  /** How many times the stream was picked up again after a break. */
  resumes: number;
}

export function useTimeline(source: ClusterSource, onNewEvent: (e: TimelineEvent) => void, options?: FollowOptions): TimelineState {
  const [state, setState] = useState<TimelineState>({ events: [], status: 'connecting', error: null, resumes: 0 });
  /** The highest seq held (0: none yet). */
  const lastSeq = useRef(0);
  const held = useRef<readonly TimelineEvent[]>([]);
  const notify = useRef(onNewEvent);
  notify.current = onNewEvent;
  useEffect(() => {
    const abort = new AbortController();
    lastSeq.current = 0;
    held.current = [];
    setState({ events: [], status: 'connecting', error: null, resumes: 0 });
    void follow<TimelineEvent>(
      abort.signal,
      {
        // since 0 at first: the events the backend still keeps from before this page opened
        open: (signal) => source.timeline(lastSeq.current, signal),
        onItem: (e) => {
          const next = addEvent(held.current, e);
          if (next === held.current) return;
          held.current = next;
          lastSeq.current = Math.max(lastSeq.current, e.seq);
          setState((s) => ({ ...s, events: next }));
          notify.current(e);
        },
        onStatus: (st) =>
          setState((s) =>
            st.live
              ? { ...s, status: 'live', error: null, resumes: s.resumes + (st.resumed ? 1 : 0) }
              : { ...s, status: 'reconnecting', error: st.error },
          ),
      },
      options,
    );
    return () => abort.abort();
  }, [source]);
  return state;
}
