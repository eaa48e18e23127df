import { useCallback, useEffect, useRef, useState } from 'react';
import type { AnalysisReport, CarpSecret } from '../../../shared/analysis/types.js';
import type { PacketColumns } from './packet-columns.js';
import type { SyncFlow } from './sync-flows.js';
import type { AnalysisWorker, WorkerMessage } from './worker-protocol.js';

export type AnalysisState =
  | { phase: 'idle' }
  | { phase: 'parsing'; fileName: string; bytesRead: number; totalBytes: number; packets: number }
  | { phase: 'error'; fileName: string; code: string; message: string; offset?: number }
  | { phase: 'done'; fileName: string; report: AnalysisReport; columns: PacketColumns; syncFlows: SyncFlow[] };

export type WorkerFactory = () => AnalysisWorker;

export const createAnalysisWorker: WorkerFactory = () =>
  new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'capture-analysis' }) as unknown as AnalysisWorker;

/** Runs one analysis at a time in a worker; opening a new file cancels the one in progress. */
export function useAnalysis(createWorker: WorkerFactory = createAnalysisWorker) {
  const [state, setState] = useState<AnalysisState>({ phase: 'idle' });
  const worker = useRef<AnalysisWorker | null>(null);

  const stop = useCallback(() => {
    worker.current?.terminate();
    worker.current = null;
  }, []);

  useEffect(() => stop, [stop]);

  const analyse = useCallback(
    (file: File, secrets: CarpSecret[]) => {
      stop();
      const w = createWorker();
      worker.current = w;
      const fileName = file.name;
      setState({ phase: 'parsing', fileName, bytesRead: 0, totalBytes: file.size, packets: 0 });
      w.onmessage = (event: MessageEvent<WorkerMessage>) => {
        if (worker.current !== w) return;
        const msg = event.data;
        if (msg.type === 'progress') {
          setState({ phase: 'parsing', fileName, bytesRead: msg.bytesRead, totalBytes: msg.totalBytes, packets: msg.packets });
          return;
        }
        stop();
        if (msg.type === 'done') setState({ phase: 'done', fileName, report: msg.report, columns: msg.columns, syncFlows: msg.syncFlows });
        else setState({ phase: 'error', fileName, code: msg.code, message: msg.message, offset: msg.offset });
      };
      w.onerror = (event: ErrorEvent) => {
        if (worker.current !== w) return;
        stop();
        setState({
          phase: 'error',
          fileName,
          code: 'internal',
          message: `The analysis stopped unexpectedly: ${event.message || 'the worker failed to start'}. Reload the app and try again.`,
        });
      };
      w.postMessage({ type: 'analyse', file, secrets });
    },
    [createWorker, stop],
  );

  const reset = useCallback(() => {
    stop();
    setState({ phase: 'idle' });
  }, [stop]);

  return { state, analyse, reset };
}
