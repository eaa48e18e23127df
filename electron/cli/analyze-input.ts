// Streams a capture file through the reader, the frame decoder and the analyser.
import { open } from 'node:fs/promises';
import { createAnalyzer, type AnalyzerOptions } from '../../shared/analysis/analyzer.js';
import type { AnalysisReport } from '../../shared/analysis/types.js';
import { CaptureReader } from '../../shared/capture/reader.js';
import { CaptureError } from '../../shared/capture/types.js';
import { decodeFrame } from '../../shared/protocol/decode.js';
import { CliError } from './command.js';

const CHUNK = 1 << 20;

export interface AnalyzeResult {
  report: AnalysisReport | null;
  /** The capture could not be read to its end; `report` covers what came before (null when nothing could be read). */
  error: CaptureError | null;
}

/**
 * Reads `file` to its end. `pause` is awaited after each chunk, so a slow consumer of the streamed rows holds
 * the reading back instead of buffering without bound. File-system problems throw CliError.
 */
export async function analyzeFile(file: string, options: AnalyzerOptions, pause: () => Promise<void> | undefined): Promise<AnalyzeResult> {
  const handle = await openCapture(file);
  const analyzer = createAnalyzer(options);
  const reader = new CaptureReader();
  const stream = handle.createReadStream({ highWaterMark: CHUNK });
  let error: CaptureError | null = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      reader.push(chunk);
      for (let f = reader.next(); f !== null; f = reader.next()) analyzer.feed(f, decodeFrame(f.linkType, f.data));
      const wait = pause();
      if (wait) await wait;
    }
    reader.end();
    for (let f = reader.next(); f !== null; f = reader.next()) analyzer.feed(f, decodeFrame(f.linkType, f.data));
  } catch (err) {
    if (!(err instanceof CaptureError)) throw fsError(file, err);
    error = err;
  } finally {
    stream.destroy();
    await handle.close().catch(() => undefined);
  }
  if (error && (error.code === 'not-a-capture' || error.code === 'unsupported-version' || reader.frames === 0)) {
    return { report: null, error };
  }
  const report = analyzer.finish({
    format: reader.format ?? 'pcap',
    ...(error ? { error: { code: error.code, message: error.message, offset: error.offset } } : {}),
  });
  return { report, error };
}

async function openCapture(file: string) {
  try {
    const handle = await open(file, 'r');
    const st = await handle.stat();
    if (st.isDirectory()) {
      await handle.close();
      throw new CliError(`analyze: ${file} is a directory; give the path of a capture file (.pcap or .pcapng)`, 1);
    }
    return handle;
  } catch (err) {
    throw fsError(file, err);
  }
}

function fsError(file: string, err: unknown): CliError {
  if (err instanceof CliError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CliError(`analyze: ${file}: no such file; check the path`, 1);
  if (code === 'EACCES' || code === 'EPERM') return new CliError(`analyze: ${file}: permission denied; make the file readable or run as a user who can read it`, 1);
  if (code === 'EISDIR') return new CliError(`analyze: ${file} is a directory; give the path of a capture file (.pcap or .pcapng)`, 1);
  return new CliError(`analyze: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, 1);
}
