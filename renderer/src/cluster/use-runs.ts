// The actions and deploys started from the panel, each with its progress steps and result.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClusterAction, Progress } from '../../../shared/api/cluster-contract.js';
import { ACTION_LABEL, applyProgress, endRun, type Run } from './actions.js';
import { toPanelError, type ClusterSource, type PanelError } from './source.js';

/** Finished runs kept on screen. */
const KEEP = 12;

export function useRuns(source: ClusterSource) {
  const [runs, setRuns] = useState<Run[]>([]);
  const nextId = useRef(1);
  const aborts = useRef(new Set<AbortController>());

  const track = useCallback(async (title: string, kind: Run['kind'], open: (signal: AbortSignal) => Promise<AsyncIterable<Progress>>) => {
    const id = nextId.current++;
    const abort = new AbortController();
    aborts.current.add(abort);
    const update = (fn: (r: Run) => Run) => setRuns((rs) => rs.map((r) => (r.id === id ? fn(r) : r)));
    setRuns((rs) => [{ id, title, kind, steps: [], transfer: null, result: null }, ...rs].slice(0, KEEP));
    let error: PanelError | null = null;
    try {
      for await (const p of await open(abort.signal)) update((r) => applyProgress(r, p));
    } catch (err) {
      error = toPanelError(err);
    }
    aborts.current.delete(abort);
    if (!abort.signal.aborted) update((r) => endRun(r, error));
  }, []);

  const runAction = useCallback(
    (action: ClusterAction, node?: string) => track(`${ACTION_LABEL[action]} · ${node ?? 'cluster'}`, 'action', (signal) => source.action(action, node, signal)),
    [source, track],
  );

  const runDeploy = useCallback(
    (node: string, config: string, configName?: string) =>
      track(`Deploy carpd · ${node}`, 'deploy', (signal) => source.deploy(configName ? { node, config, configName } : { node, config }, signal)),
    [source, track],
  );

  const dismiss = useCallback((id: number) => setRuns((rs) => rs.filter((r) => r.id !== id)), []);

  useEffect(() => {
    const running = aborts.current;
    return () => running.forEach((a) => a.abort());
  }, []);
  return { runs, runAction, runDeploy, dismiss };
}
