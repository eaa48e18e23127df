// The Diagnostics view's Web Worker: reads the chosen File from disk as a stream, analyses it and posts the
// report back. Nothing leaves the computer.
import { analyseChunks, streamChunks } from './analyse-capture.js';
import { columnBuffers } from './packet-columns.js';
import type { AnalyseRequest, WorkerMessage } from './worker-protocol.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<AnalyseRequest>) => void) | null;
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const PROGRESS_EVERY_MS = 100;

scope.onmessage = async ({ data: { file, secrets } }) => {
  let last = 0;
  try {
    const outcome = await analyseChunks(streamChunks(file.stream()), {
      secrets,
      onProgress(bytesRead, packets) {
        const now = performance.now();
        if (now - last < PROGRESS_EVERY_MS) return;
        last = now;
        scope.postMessage({ type: 'progress', bytesRead, totalBytes: file.size, packets });
      },
    });
    if (!outcome.ok) {
      scope.postMessage({ type: 'error', code: outcome.code, message: outcome.message, offset: outcome.offset });
      return;
    }
    const { report, columns, syncFlows } = outcome;
    scope.postMessage({ type: 'done', report, columns, syncFlows }, columnBuffers(columns));
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    scope.postMessage({ type: 'error', code: 'internal', message: `The analysis failed: ${reason}. Please report this with the capture file.` });
  }
};
