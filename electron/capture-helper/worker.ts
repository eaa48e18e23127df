// The capture worker: one libpcap handle on one interface, packets out as pcap on stdout. When the interface is
// taken down under it the capture stops (the unpatched binding even aborts the process), so this runs as a child of
// the helper, which reopens it: the worker exits with `retry` when that happens. Exits when its stdin closes.
import { PcapWriter } from '../../shared/capture/pcap-writer.js';
import { LiveCapture, loadCap, UnsupportedLinkType } from './capture.js';
import { FILTERS, HELPER_EXIT, type FilterName, type HelperMessage } from './messages.js';
import { describeOpenError } from './open-error.js';

/** Beyond this much unread output, packets are dropped (and counted) rather than buffered without bound. */
const MAX_PENDING_BYTES = 16 << 20;
const DROP_REPORT_MS = 5000;

export function say(m: HelperMessage): void {
  process.stderr.write(JSON.stringify(m) + '\n');
}

export function runWorker(iface: string, filter: FilterName): void {
  const cap = loadCap();
  if (typeof cap === 'string') {
    say({ level: 'error', code: 'cap-unavailable', interface: iface, message: `the libpcap binding could not be loaded: ${cap}`, fix: 'Install libpcap (Debian: libpcap0.8) or use tcpdump/dumpcap instead.' });
    process.exit(HELPER_EXIT.capUnavailable);
  }
  let writer: PcapWriter | null = null;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let dropped = 0;
  const flush = () => {
    if (pending.length === 0) return;
    process.stdout.write(Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };
  let live: LiveCapture;
  try {
    live = new LiveCapture(cap, iface, FILTERS[filter], (data) => {
      if (!writer) return;
      if (process.stdout.writableLength + pendingBytes > MAX_PENDING_BYTES) {
        dropped++;
        return;
      }
      const now = performance.timeOrigin + performance.now();
      const tsSec = Math.floor(now / 1000);
      const record = writer.packet({ tsSec, tsNsec: Math.floor((now - tsSec * 1000) * 1e6), data });
      if (pending.length === 0) setImmediate(flush);
      pending.push(record);
      pendingBytes += record.length;
    }, () => {
      flush();
      say({ level: 'warning', code: 'interface-down', interface: iface, message: `capture on ${iface} stopped: the interface went down or away` });
      process.exit(HELPER_EXIT.retry);
    });
  } catch (err) {
    if (err instanceof UnsupportedLinkType) {
      say({ level: 'error', code: 'unsupported-link-type', interface: iface, message: `${iface} has link type ${err.linkName}, which CarpDeck cannot read`, fix: 'Capture on an Ethernet interface.' });
      process.exit(HELPER_EXIT.fatal);
    }
    const m = describeOpenError(iface, err instanceof Error ? err.message : String(err));
    say(m);
    process.exit(m.level === 'error' ? HELPER_EXIT.fatal : HELPER_EXIT.retry);
  }
  writer = new PcapWriter({ linkType: live.linkType, nanosecond: true, snaplen: 65_535 });
  process.stdout.write(writer.header());
  say({ level: 'info', code: 'capturing', interface: iface, linkType: live.linkType, message: `capturing on ${iface}` });
  setInterval(() => {
    if (dropped === 0) return;
    say({ level: 'warning', code: 'dropped', interface: iface, count: dropped, message: `${dropped} packets dropped: the reader did not keep up` });
    dropped = 0;
  }, DROP_REPORT_MS);
  const exit = () => {
    live.close();
    process.exit(HELPER_EXIT.ok);
  };
  process.stdout.on('error', exit);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
  process.stdin.resume();
}
