// The capture helper: the only process of the app that opens network interfaces (so it alone needs capture
// rights). argv only; a standard pcap stream on stdout; status and errors as JSON lines on stderr (messages.ts);
// exits when its stdin closes, so it never outlives the app. It keeps capturing across the interface going down
// and coming back (or disappearing and reappearing), reopening with backoff and saying so.
import { PcapWriter } from '../../shared/capture/pcap-writer.js';
import { parseHelperArgs } from './args.js';
import { LiveCapture, loadCap, UnsupportedLinkType } from './capture.js';
import { linkState, type LinkState } from './link.js';
import { FILTERS, HELPER_EXIT, type HelperMessage } from './messages.js';
import { describeOpenError } from './open-error.js';

const POLL_MS = 500;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5000;
/** Beyond this much unread output, packets are dropped (and counted) rather than buffered without bound. */
const MAX_PENDING_BYTES = 16 << 20;
const DROP_REPORT_MS = 5000;

function say(m: HelperMessage): void {
  process.stderr.write(JSON.stringify(m) + '\n');
}

function main(): void {
  const args = parseHelperArgs(process.argv.slice(2));
  if ('error' in args) {
    say({ level: 'error', code: 'bad-arguments', message: args.error });
    process.exit(HELPER_EXIT.badArguments);
  }
  const { iface } = args;
  const cap = loadCap();
  if (typeof cap === 'string') {
    say({ level: 'error', code: 'cap-unavailable', interface: iface, message: `the libpcap binding could not be loaded: ${cap}`, fix: 'Install libpcap (Debian: libpcap0.8) or use tcpdump/dumpcap instead.' });
    process.exit(HELPER_EXIT.capUnavailable);
  }
  if (linkState(iface) === 'missing') {
    say({ level: 'error', code: 'no-such-interface', interface: iface, message: `there is no interface "${iface}"`, fix: 'Pick one of the interfaces "carpdeck discover --list-interfaces" shows.' });
    process.exit(HELPER_EXIT.fatal);
  }

  let writer: PcapWriter | null = null;
  let writerLinkType = -1;
  let live: LiveCapture | null = null;
  let opened = false;
  let backoff = BACKOFF_MIN_MS;
  let retryAt = 0;
  let lastState: LinkState | null = null;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let dropped = 0;
  let lastDropReport = Date.now();

  const flush = () => {
    if (pending.length === 0) return;
    process.stdout.write(Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };

  const onPacket = (data: Uint8Array) => {
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
  };

  const close = () => {
    live?.close();
    live = null;
  };

  const open = (): void => {
    try {
      live = new LiveCapture(cap, iface, FILTERS[args.filter], onPacket);
    } catch (err) {
      if (err instanceof UnsupportedLinkType) {
        say({ level: 'error', code: 'unsupported-link-type', interface: iface, message: `${iface} has link type ${err.linkName}, which CarpDeck cannot read`, fix: 'Capture on an Ethernet interface.' });
        process.exit(HELPER_EXIT.fatal);
      }
      const described = describeOpenError(iface, err instanceof Error ? err.message : String(err));
      if (described.level === 'error') {
        say(described);
        process.exit(HELPER_EXIT.fatal);
      }
      retryLater(described);
      return;
    }
    if (!writer) {
      writer = new PcapWriter({ linkType: live.linkType, nanosecond: true, snaplen: 65_535 });
      process.stdout.write(writer.header());
    } else if (live.linkType !== writerLinkType) {
      say({ level: 'error', code: 'unsupported-link-type', interface: iface, message: `${iface} came back with another link type; restart the capture` });
      process.exit(HELPER_EXIT.fatal);
    }
    writerLinkType = live.linkType;
    backoff = BACKOFF_MIN_MS;
    say({ level: 'info', code: 'capturing', interface: iface, linkType: live.linkType, message: opened ? `capturing on ${iface} again` : `capturing on ${iface}` });
    opened = true;
  };
  const retryLater = (m: HelperMessage) => {
    if (lastState !== 'admin-down' && lastState !== 'missing') say(m);
    retryAt = Date.now() + backoff;
    backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
  };

  const poll = () => {
    const state = linkState(iface);
    if (state !== lastState) {
      if (state === 'admin-down' || state === 'missing') {
        close();
        say({
          level: 'warning',
          code: 'interface-down',
          interface: iface,
          message: state === 'missing' ? `${iface} disappeared; waiting for it to come back` : `${iface} was taken down; waiting for it to come back up`,
        });
      } else if (state === 'no-carrier') {
        say({ level: 'warning', code: 'no-carrier', interface: iface, message: `${iface} has no link (cable unplugged, switch port down)`, fix: 'Check the cable and the switch port.' });
      } else if (lastState === 'no-carrier') {
        say({ level: 'info', code: 'carrier', interface: iface, message: `${iface} has a link again` });
      }
      if ((lastState === 'admin-down' || lastState === 'missing') && state !== 'admin-down' && state !== 'missing') {
        backoff = BACKOFF_MIN_MS;
        retryAt = 0;
      }
      lastState = state;
    }
    if (!live && state !== 'admin-down' && state !== 'missing' && Date.now() >= retryAt) open();
    if (dropped > 0 && Date.now() - lastDropReport >= DROP_REPORT_MS) {
      say({ level: 'warning', code: 'dropped', interface: iface, count: dropped, message: `${dropped} packets dropped: the reader did not keep up` });
      dropped = 0;
      lastDropReport = Date.now();
    }
  };

  process.stdout.on('error', () => process.exit(HELPER_EXIT.ok));
  process.stdin.on('end', () => process.exit(HELPER_EXIT.ok));
  process.stdin.on('close', () => process.exit(HELPER_EXIT.ok));
  process.stdin.resume();
  poll();
  setInterval(poll, POLL_MS);
}

main();
