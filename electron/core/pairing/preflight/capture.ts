// Listening on a node's interface with its tcpdump: `-xx` prints every frame as hex text (link header included), so
// the output stays plain text over SSH and the frames are decoded here with shared/protocol.
import type { PreflightSession, Privilege } from './session.js';
import { asRoot } from './session.js';

export interface CapturedFrame {
  linkType: number;
  data: Uint8Array;
}

/** tcpdump's link-type names (from "listening on X, link-type NAME (...)") to LINKTYPE_* numbers. */
const LINK_TYPES: Record<string, number> = { EN10MB: 1, RAW: 101, LINUX_SLL: 113, LINUX_SLL2: 276, IPV4: 228 };

export function linkTypeOf(stderrLine: string): number | undefined {
  const m = /link-type (\w+)/.exec(stderrLine);
  return m ? LINK_TYPES[m[1]] : undefined;
}

/** Frames from `tcpdump -xx` output: a summary line, then indented `0x0010:  4500 0054 ...` lines. */
export function parseHexDump(lines: readonly string[], linkType: number): CapturedFrame[] {
  const frames: CapturedFrame[] = [];
  let bytes: number[] | null = null;
  const flush = () => {
    if (bytes && bytes.length > 0) frames.push({ linkType, data: Uint8Array.from(bytes) });
    bytes = null;
  };
  for (const line of lines) {
    const m = /^\s+0x[0-9a-f]+:\s+((?:[0-9a-f]{2,4}\s?)+)/i.exec(line);
    if (m) {
      bytes ??= [];
      for (const group of m[1].trim().split(/\s+/)) for (let i = 0; i + 1 < group.length; i += 2) bytes.push(parseInt(group.slice(i, i + 2), 16));
    } else if (line.trim()) {
      flush();
      bytes = [];
    }
  }
  flush();
  return frames;
}

export interface Capture {
  /** Resolves true once tcpdump listens, false if it failed or did not say so in time. */
  ready: Promise<boolean>;
  /** The frames seen, once the listening time is over; `error` when tcpdump could not capture. */
  done: Promise<{ frames: CapturedFrame[]; error?: string }>;
}

export async function startCapture(session: PreflightSession, privilege: Privilege, iface: string, seconds: number, readyTimeoutMs = 4000): Promise<Capture> {
  const lines: string[] = [];
  const errors: string[] = [];
  let linkType = 1;
  let signalReady: (ok: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((resolve) => {
    signalReady = resolve;
    setTimeout(() => resolve(false), readyTimeoutMs).unref?.();
  });
  const argv = asRoot(privilege, ['timeout', String(seconds), 'tcpdump', '-i', iface, '-nn', '-l', '-xx', '-s', '512', 'ip proto 112']);
  const stream = await session.lines(argv, (line) => lines.push(line), {
    onStderr: (text) => {
      for (const line of text.split('\n').map((l) => l.trim())) {
        if (/listening on/.test(line)) {
          linkType = linkTypeOf(line) ?? linkType;
          signalReady(true);
        } else if (line && !/verbose output suppressed|packets? (captured|received|dropped)/.test(line)) errors.push(line);
      }
    },
  });
  const done = stream.done.then(({ code }) => {
    signalReady(false);
    // timeout exits 124 when it ended tcpdump on time; anything else is tcpdump (or sudo) failing, and its last
    // words say why (other stderr, such as sudo's host name warnings, is no failure)
    const why = errors.filter((l) => /^(tcpdump|sudo|timeout): /.test(l)).at(-1) ?? errors.at(-1) ?? `exit ${code}`;
    const error = code === 124 || code === 0 ? undefined : `tcpdump on ${iface} failed: ${why}`;
    return { frames: parseHexDump(lines, linkType), ...(error ? { error } : {}) };
  });
  return { ready, done };
}
