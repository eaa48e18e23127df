// The capture helper: the only process of the app that opens network interfaces (so it alone needs capture
// rights). argv only; a standard pcap stream on stdout; status and errors as JSON lines on stderr (messages.ts);
// exits when its stdin closes, so it never outlives the app. libpcap's binding aborts its process when the
// interface is taken down under it, so the capture itself runs in a worker child (worker.ts) that this process
// watches: it follows the link state, restarts the worker with backoff when the interface comes back, says so,
// and forwards only whole packet records, so the app sees one unbroken pcap stream.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PcapWriter } from '../../shared/capture/pcap-writer.js';
import { parseHelperArgs, type HelperArgs } from './args.js';
import { linkState, type LinkState } from './link.js';
import { HELPER_EXIT, parseHelperLine } from './messages.js';
import { RecordSplitter } from './records.js';
import { workerArgv, workerEnv } from './standalone.js';
import { runWorker, say } from './worker.js';

const POLL_MS = 200;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5000;
const WORKER_GRACE_MS = 1000;

const isDown = (s: LinkState | null) => s === 'admin-down' || s === 'missing';

function supervise({ iface, filter }: HelperArgs): void {
  if (linkState(iface) === 'missing') {
    say({ level: 'error', code: 'no-such-interface', interface: iface, message: `there is no interface "${iface}"`, fix: 'Pick one of the interfaces "carpdeck discover --list-interfaces" shows.' });
    process.exit(HELPER_EXIT.fatal);
  }
  let worker: ChildProcess | null = null;
  let linkType: number | null = null;
  let opened = false;
  let stopping = false;
  let backoff = BACKOFF_MIN_MS;
  let retryAt = 0;
  let lastState: LinkState | null = null;

  const stopWorker = () => {
    const w = worker;
    if (!w) return;
    w.stdin?.end();
    setTimeout(() => w.kill('SIGKILL'), WORKER_GRACE_MS).unref();
  };

  const startWorker = () => {
    const splitter = new RecordSplitter();
    const child = spawn(process.execPath, [...workerArgv(), '--worker', '--interface', iface, '--filter', filter], { stdio: ['pipe', 'pipe', 'pipe'], env: workerEnv() });
    worker = child;
    child.stdin.on('error', () => undefined);
    child.stdout.on('data', (chunk: Buffer) => {
      const records = splitter.push(chunk);
      if (splitter.linkType !== null && linkType === null) {
        linkType = splitter.linkType;
        process.stdout.write(new PcapWriter({ linkType, nanosecond: true, snaplen: 65_535 }).header());
      } else if (splitter.linkType !== null && splitter.linkType !== linkType) {
        say({ level: 'error', code: 'unsupported-link-type', interface: iface, message: `${iface} came back with another link type; start the capture again` });
        process.exit(HELPER_EXIT.fatal);
      }
      if (records && !process.stdout.write(records)) {
        child.stdout.pause();
        process.stdout.once('drain', () => child.stdout.resume());
      }
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      const m = parseHelperLine(line);
      if (!m) return;
      if (m.code === 'capturing') {
        say({ ...m, message: opened ? `capturing on ${iface} again` : m.message });
        opened = true;
        backoff = BACKOFF_MIN_MS;
      } else if (m.code !== 'interface-down' || !isDown(lastState)) {
        say(m);
      }
    });
    child.on('close', (code, signal) => {
      worker = null;
      if (stopping) return;
      if (code === HELPER_EXIT.fatal || code === HELPER_EXIT.capUnavailable || code === HELPER_EXIT.badArguments) process.exit(code);
      retryAt = Date.now() + backoff;
      backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
      if (code !== HELPER_EXIT.retry && !isDown(linkState(iface))) {
        say({ level: 'warning', code: 'capture-restarted', interface: iface, message: `the capture on ${iface} stopped (${signal ?? `exit status ${code}`}); restarting it` });
      }
    });
  };

  const poll = () => {
    const state = linkState(iface);
    if (state !== lastState) {
      if (isDown(state)) {
        stopWorker();
        const what = state === 'missing' ? `${iface} disappeared; waiting for it to come back` : `${iface} was taken down; waiting for it to come back up`;
        say({ level: 'warning', code: 'interface-down', interface: iface, message: what });
      } else if (state === 'no-carrier') {
        say({ level: 'warning', code: 'no-carrier', interface: iface, message: `${iface} has no link (cable unplugged, switch port down)`, fix: 'Check the cable and the switch port.' });
      } else if (lastState === 'no-carrier') {
        say({ level: 'info', code: 'carrier', interface: iface, message: `${iface} has a link again` });
      }
      if (isDown(lastState) && !isDown(state)) {
        backoff = BACKOFF_MIN_MS;
        retryAt = 0;
      }
      lastState = state;
    }
    if (!worker && !isDown(state) && Date.now() >= retryAt) startWorker();
  };

  const exit = () => {
    stopping = true;
    stopWorker();
    process.exit(HELPER_EXIT.ok);
  };
  process.stdout.on('error', exit);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
  process.stdin.resume();
  poll();
  setInterval(poll, POLL_MS);
}

function main(): void {
  const argv = process.argv.slice(2);
  const workerMode = argv[0] === '--worker';
  const args = parseHelperArgs(workerMode ? argv.slice(1) : argv);
  if ('error' in args) {
    say({ level: 'error', code: 'bad-arguments', message: args.error });
    process.exit(HELPER_EXIT.badArguments);
  }
  if (workerMode) runWorker(args.iface, args.filter);
  else supervise(args);
}

main();
