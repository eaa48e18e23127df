import { createAnalyzer } from '../../../shared/analysis/analyzer.js';
import type { AnalysisReport, CarpSecret } from '../../../shared/analysis/types.js';
import { CaptureReader } from '../../../shared/capture/reader.js';
import { CaptureError, type Frame } from '../../../shared/capture/types.js';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import { ColumnBuilder, type PacketColumns } from './packet-columns.js';
import { SyncFlowBuilder, type SyncFlow } from './sync-flows.js';

export interface AnalyseOptions {
  secrets: CarpSecret[];
  /** Called after each chunk with the bytes consumed and the packets read so far. */
  onProgress?(bytesRead: number, packets: number): void;
}

export type AnalyseOutcome =
  | { ok: true; report: AnalysisReport; columns: PacketColumns; syncFlows: SyncFlow[] }
  | { ok: false; code: string; message: string; offset: number };

/**
 * Streams a capture through the shared reader, decoder and analyser. Advertisements go straight into typed
 * columns and sync packets into per-direction sums instead of the report. A file cut short after some packets still yields a report (with
 * `capture.error` set); a file that is not a capture at all yields the reader's error.
 */
export async function analyseChunks(chunks: AsyncIterable<Uint8Array>, options: AnalyseOptions): Promise<AnalyseOutcome> {
  const reader = new CaptureReader();
  const columns = new ColumnBuilder();
  const sync = new SyncFlowBuilder();
  const analyzer = createAnalyzer({
    secrets: options.secrets,
    keepRows: false,
    onAdvert: (row) => columns.append(row),
    onSync: (row) => sync.add(row),
  });
  const drain = () => {
    let frame: Frame | null;
    while ((frame = reader.next()) !== null) analyzer.feed(frame, decodeFrame(frame.linkType, frame.data));
  };

  let bytesRead = 0;
  let error: AnalysisReport['capture']['error'];
  try {
    for await (const chunk of chunks) {
      bytesRead += chunk.length;
      reader.push(chunk);
      drain();
      options.onProgress?.(bytesRead, reader.frames);
    }
    reader.end();
    drain();
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    if (reader.frames === 0) return { ok: false, code: e.code, message: e.message, offset: e.offset };
    error = { code: e.code, message: e.message, offset: e.offset };
  }
  if (reader.format === null) {
    return { ok: false, code: 'not-a-capture', message: 'The file is empty: a capture starts with a pcap or pcapng header.', offset: 0 };
  }
  const report = analyzer.finish({ format: reader.format, error });
  return { ok: true, report, columns: columns.finish(), syncFlows: sync.finish() };
}

/** A web ReadableStream as an async iterable (File.stream() is not async-iterable in every engine). */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
