// Every node the backend holds a session for, with its latest status, kept subscribed across reconnects.
import { useEffect, useState } from 'react';
import type { ClusterNode } from '../../../shared/api/cluster-contract.js';
import { follow, type FollowOptions } from './follow.js';
import type { ClusterSource, PanelError } from './source.js';

export interface NodesState {
  /** null until the backend first answered. */
  nodes: ClusterNode[] | null;
  /** When the latest list arrived (for retry countdowns, which the backend gives relative to its update). */
  receivedAt: number;
  error: PanelError | null;
  retryInMs: number | null;
}

export function useNodes(source: ClusterSource, options?: FollowOptions): NodesState {
  const [state, setState] = useState<NodesState>({ nodes: null, receivedAt: 0, error: null, retryInMs: null });
  useEffect(() => {
    const abort = new AbortController();
    void follow<{ nodes: ClusterNode[] }>(
      abort.signal,
      {
        open: (signal) => source.nodes(signal),
        onItem: ({ nodes }) => setState({ nodes, receivedAt: Date.now(), error: null, retryInMs: null }),
        // an error stays shown until a list arrives: a stream can open and break again at once
        onStatus: (st) => setState((s) => (st.live ? { ...s, retryInMs: null } : { ...s, error: st.error, retryInMs: st.retryInMs })),
      },
      options,
    );
    return () => abort.abort();
  }, [source]);
  return state;
}
