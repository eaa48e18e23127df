import { useEffect, useState, useSyncExternalStore } from 'react';
import { connection, getApi, notices } from '../api/client.js';
import type { ConnectionState } from '../api/connection.js';
import type { Notice } from '../api/events.js';
import type { SystemInfo } from '../../../shared/api/contract.js';

export interface BackendStatus {
  connection: ConnectionState;
  info: SystemInfo | null;
}

/** The backend link's state and, once connected, what the backend says about itself. */
export function useBackendStatus(): BackendStatus {
  const state = useSyncExternalStore(connection.subscribe, connection.get);
  const [info, setInfo] = useState<SystemInfo | null>(null);
  useEffect(() => {
    let live = true;
    getApi()
      .then((api) => api.system.info())
      .then((i) => live && setInfo(i))
      // The Diagnostics view works offline; the status pill already shows why the backend is unavailable.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return { connection: state, info };
}

/** The latest notice from the backend, or null. */
export function useLatestNotice(): Notice | null {
  return useSyncExternalStore(notices.subscribe, notices.get);
}
