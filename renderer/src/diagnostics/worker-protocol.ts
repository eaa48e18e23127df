import type { AnalysisReport, CarpSecret } from '../../../shared/analysis/types.js';
import type { PacketColumns } from './packet-columns.js';
import type { SyncFlow } from './sync-flows.js';

/** Messages between the Diagnostics view and its analysis worker. */
export interface AnalyseRequest {
  type: 'analyse';
  file: Blob;
  secrets: CarpSecret[];
}

export interface ProgressMessage {
  type: 'progress';
  bytesRead: number;
  totalBytes: number;
  packets: number;
}

export interface DoneMessage {
  type: 'done';
  /** The report without `adverts` and `sync`: those travel as `columns` and `syncFlows`. */
  report: AnalysisReport;
  columns: PacketColumns;
  syncFlows: SyncFlow[];
}

export interface FailedMessage {
  type: 'error';
  /** CaptureError code ("not-a-capture", "truncated", ...) or "internal". */
  code: string;
  message: string;
  offset?: number;
}

export type WorkerMessage = ProgressMessage | DoneMessage | FailedMessage;

/** What the view needs from a worker; a real `Worker` satisfies it, tests pass a fake. */
export interface AnalysisWorker {
  postMessage(message: AnalyseRequest): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<WorkerMessage>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}
