/** One captured frame, as delivered by the streaming pcap/pcapng readers (and by live capture). */
export interface Frame {
  /** 1-based index among all packet records of the file/stream, in file order. */
  index: number;
  /** Capture time: whole seconds since the epoch. */
  tsSec: number;
  /** Capture time: nanoseconds within the second (pcap microsecond files are scaled up). */
  tsNsec: number;
  /** libpcap LINKTYPE_* value of the interface that captured the frame. */
  linkType: number;
  /** Interface id (pcapng IDB index; 0 for classic pcap). */
  iface: number;
  /** Captured bytes. May be a view into a reader-owned buffer: copy it if you keep it past the next read. */
  data: Uint8Array;
  /** Original length on the wire (>= data.length when the capture was snapped). */
  origLen: number;
}

/** Errors from the capture layer are values with a code, a message for people and where it happened. */
export type CaptureErrorCode =
  | 'not-a-capture'
  | 'truncated'
  | 'bad-block'
  | 'unsupported-version'
  | 'too-large';

export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    /** Byte offset in the file where the problem was found. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;
