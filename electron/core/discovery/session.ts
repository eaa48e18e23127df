// One live discovery on one interface: capture -> decode -> tracker, a clock for silence, and listeners for the
// events (new master, failover, capture notes) the moment they happen.
import type { CarpSecret } from '../../../shared/analysis/types.js';
import type { Frame } from '../../../shared/capture/types.js';
import { DiscoveryTracker } from '../../../shared/discovery/tracker.js';
import type { DiscoveryEvent, DiscoverySnapshot } from '../../../shared/discovery/types.js';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import { CaptureSource, type CaptureSourceOptions, type CaptureStatus } from './capture-source.js';

export interface DiscoveryOptions extends Omit<CaptureSourceOptions, 'onStatus'> {
  secrets?: CarpSecret[];
  quietSeconds?: number;
  onEvent?: (e: DiscoveryEvent) => void;
  onStatus?: (s: CaptureStatus) => void;
  /** Every captured frame, before it is decoded (recording). Its data is only valid during the call. */
  onFrame?: (frame: Frame) => void;
  /** Epoch milliseconds (tests). */
  now?: () => number;
}

export interface DiscoverySession {
  /** The picture now; `withEvents: false` leaves out the recent events. */
  snapshot(withEvents?: boolean): DiscoverySnapshot;
  /** Ends the capture; `done` resolves once it has. */
  stop(): void;
  /** Resolves when the capture ended, with the error that ended it (null when stopped or the stream ended). */
  readonly done: Promise<CaptureStatus | null>;
  /** True once the capture reported it is running. */
  readonly capturing: boolean;
}

const TICK_MS = 250;

export function startDiscovery(opts: DiscoveryOptions): DiscoverySession {
  const now = opts.now ?? Date.now;
  const tracker = new DiscoveryTracker({ started: now() / 1000, interface: opts.iface, secrets: opts.secrets, quietSeconds: opts.quietSeconds });
  const emit = (events: DiscoveryEvent[]) => {
    for (const e of events) opts.onEvent?.(e);
  };
  let capturing = false;
  const source = new CaptureSource({
    ...opts,
    onStatus: (s) => {
      if (s.code === 'capturing') capturing = true;
      emit([tracker.note(now() / 1000, s.level, s.code, s.fix ? `${s.message}. ${s.fix}` : s.message)]);
      opts.onStatus?.(s);
    },
  });
  const timer = setInterval(() => emit(tracker.tick(now() / 1000)), TICK_MS);
  const done = (async () => {
    try {
      for await (const frame of source) {
        opts.onFrame?.(frame);
        emit(tracker.feed(frame, decodeFrame(frame.linkType, frame.data)));
      }
      return source.failure;
    } catch (err) {
      const failure: CaptureStatus = { level: 'error', code: 'capture-failed', interface: opts.iface, via: source.via, message: `the capture stream broke: ${err instanceof Error ? err.message : String(err)}` };
      emit([tracker.note(now() / 1000, 'error', failure.code, failure.message)]);
      return failure;
    } finally {
      clearInterval(timer);
    }
  })();
  return {
    snapshot: (withEvents = true) => tracker.snapshot(now() / 1000, withEvents),
    stop: () => source.stop(),
    done,
    get capturing() {
      return capturing;
    },
  };
}
