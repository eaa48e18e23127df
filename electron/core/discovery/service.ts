// Discovery for the API (discovery.interfaces, discovery.watch): one capture session per watch, its events
// forwarded at once and its snapshot at a fixed interval (a slow consumer gets the latest snapshot, not a backlog).
// Streamed snapshots leave out the events, which the same stream has already delivered one by one.
// A watch can record its capture (discovery.record); a recording outlives its watch, so the user can stop
// listening and then save it, until newer recordings push it out (the last KEEP_RECORDINGS are kept).
import { randomBytes } from 'node:crypto';
import { ORPCError } from '@orpc/server';
import type { DiscoveryRecordingChunk, DiscoveryUpdate, DiscoveryWatchInput } from '../../../shared/api/contract.js';
import { listInterfaces, probeInterfaces, type InterfaceInfo } from './interfaces.js';
import { lightFindings } from './light-findings.js';
import { Recording, type RecordingInfo } from './recording.js';
import { startDiscovery } from './session.js';

export interface DiscoveryService {
  interfaces(probeSeconds: number): Promise<InterfaceInfo[]>;
  watch(input: DiscoveryWatchInput, signal?: AbortSignal): AsyncGenerator<DiscoveryUpdate, void, undefined>;
  /** Starts (a new) or stops the recording of a running watch. */
  record(input: { watch: string; record: boolean }): RecordingInfo;
  /** Up to CHUNK_BYTES of a recording's pcapng file, as base64. */
  recording(input: { id: string; offset: number }): DiscoveryRecordingChunk;
}

export interface DiscoveryServiceOptions {
  helperPath?: string;
  tcpdumpPath?: string | null;
  /** Largest recording, bytes (default 64 MiB). */
  recordingLimitBytes?: number;
}

const KEEP_RECORDINGS = 4;
const CHUNK_BYTES = 4 * 1024 * 1024;

interface Watch {
  iface: string;
  recording: Recording | null;
}

export function createDiscoveryService(opts: DiscoveryServiceOptions = {}): DiscoveryService {
  const watches = new Map<string, Watch>();
  const recordings = new Map<string, Recording>();
  const newId = () => randomBytes(8).toString('hex');
  return {
    record({ watch: id, record }) {
      const w = watches.get(id);
      if (!w) throw new ORPCError('NOT_FOUND', { message: `no running discovery watch "${id}": it ended; listen again, then record` });
      if (!record) {
        if (!w.recording) throw new ORPCError('NOT_FOUND', { message: `discovery watch "${id}" is not recording: start recording first` });
        w.recording.stop('user');
        return w.recording.info();
      }
      w.recording?.stop('user');
      const r = new Recording(newId(), w.iface, opts.recordingLimitBytes);
      w.recording = r;
      recordings.set(r.id, r);
      for (const old of recordings.values()) {
        if (recordings.size <= KEEP_RECORDINGS) break;
        if (old !== r) recordings.delete(old.id);
      }
      return r.info();
    },

    recording({ id, offset }) {
      const r = recordings.get(id);
      if (!r) throw new ORPCError('NOT_FOUND', { message: `recording "${id}" is no longer kept (only the last ${KEEP_RECORDINGS} are): record again` });
      const info = r.info();
      const bytes = r.read(offset, CHUNK_BYTES);
      return { data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64'), offset: Math.min(offset, info.bytes), total: info.bytes, recording: info };
    },

    async interfaces(probeSeconds) {
      const list = listInterfaces();
      return probeSeconds > 0 ? probeInterfaces(list, probeSeconds, opts.helperPath) : list;
    },

    async *watch(input, signal) {
      const queue: DiscoveryUpdate[] = [];
      let wake: (() => void) | null = null;
      let seq = 0;
      const id = newId();
      const w: Watch = { iface: input.interface, recording: null };
      watches.set(id, w);
      const push = (u: DiscoveryUpdate) => {
        const last = queue.at(-1);
        if (u.kind === 'snapshot' && last?.kind === 'snapshot') queue[queue.length - 1] = u;
        else queue.push(u);
        wake?.();
      };
      const session = startDiscovery({
        iface: input.interface,
        secrets: input.secrets,
        quietSeconds: input.quietSeconds,
        helperPath: opts.helperPath,
        tcpdumpPath: opts.tcpdumpPath,
        onEvent: (event) => push({ seq: ++seq, kind: 'event', event }),
        onFrame: (frame) => w.recording?.write(frame),
      });
      const recording = () => (w.recording ? { recording: w.recording.info() } : {});
      const light = lightFindings();
      const snapshot = () => {
        const snap = session.snapshot(false);
        const omitted = light(snap.findings, Date.now());
        push({ seq: ++seq, kind: 'snapshot', snapshot: omitted ? { ...snap, findings: [] } : snap, watch: id, ...recording(), ...(omitted ? { findingsOmitted: true } : {}) });
      };
      const timer = setInterval(snapshot, input.snapshotMs ?? 500);
      const stop = () => session.stop();
      signal?.addEventListener('abort', stop);
      void session.done.then((failure) => {
        w.recording?.stop('capture-ended');
        watches.delete(id);
        const end: DiscoveryUpdate = { seq: ++seq, kind: 'end', snapshot: session.snapshot(), watch: id, ...recording() };
        if (failure) end.error = { code: failure.code, message: failure.message, ...(failure.fix ? { fix: failure.fix } : {}) };
        push(end);
      });
      snapshot();
      try {
        for (;;) {
          const u = queue.shift();
          if (u) {
            yield u;
            if (u.kind === 'end') return;
            continue;
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
      } finally {
        clearInterval(timer);
        signal?.removeEventListener('abort', stop);
        session.stop();
        w.recording?.stop('capture-ended');
        watches.delete(id);
      }
    },
  };
}

