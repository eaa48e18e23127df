import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfigFile } from './config/load.js';
import { startControlServer, type ControlServer } from './control/server.js';
import { EventLog } from './events/log.js';
import { syslogSink } from './events/syslog.js';
import { realIo } from './io/real.js';
import { Carpd, type Logger } from './runtime/daemon.js';
import { realHost } from './statesync/deps.js';
import { nudgeInChild } from './statesync/nudge/child.js';
import { printNudge } from './statesync/nudge/cli.js';
import { createStateSync } from './statesync/sync.js';
import { StateSyncTransitions } from './statesync/transitions.js';
import { configSyncControl, eventCause } from './configsync/control.js';
import { ConfigSync } from './configsync/service.js';
import { realBeaconIo } from './beacon/io.js';
import { BeaconSender } from './beacon/sender.js';

const USAGE = `usage: carpd --config FILE [--check]
  --config FILE   JSON configuration (see daemon/README.md)
  --check         validate the configuration and exit`;

function fail(message: string, code: number): never {
  process.stderr.write(`carpd: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv: string[]): { config: string; check: boolean } {
  let config: string | undefined;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config' || a === '-c') {
      config = argv[++i];
      if (!config) fail(`--config needs a file name\n${USAGE}`, 2);
    } else if (a.startsWith('--config=')) config = a.slice('--config='.length);
    else if (a === '--check') check = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else fail(`unknown argument "${a}"\n${USAGE}`, 2);
  }
  if (!config) fail(`--config FILE is required\n${USAGE}`, 2);
  return { config, check };
}

/** Internal: carpd runs itself with this flag for the state sync's retransmission nudge (daemon/statesync/nudge). */
const NUDGE_FLAG = '--statesync-nudge';

async function main(): Promise<void> {
  if (process.argv[2] === NUDGE_FLAG) return printNudge();
  const args = parseArgs(process.argv.slice(2));
  const loaded = loadConfigFile(args.config);
  if (!loaded.ok) fail(loaded.error.message, 2);
  for (const w of loaded.warnings) process.stderr.write(`carpd: warning: ${w}\n`);
  if (args.check) {
    process.stdout.write(`carpd: ${args.config} is valid (${loaded.config.vhids.length} vhid${loaded.config.vhids.length === 1 ? '' : 's'})\n`);
    return;
  }
  if (process.getuid?.() !== 0) {
    fail('must run as root: it captures and sends CARP frames with libpcap and adds/removes the virtual IPs with ip(8). Run it as root (e.g. sudo npx carpd --config FILE) or from a service manager.', 1);
  }
  const config = loaded.config;
  try {
    mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
    mkdirSync(dirname(config.controlSocket), { recursive: true, mode: 0o755 });
  } catch (e) {
    fail(`cannot create ${(e as NodeJS.ErrnoException).path ?? config.stateDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 1);
  }
  const syslog = syslogSink(config.syslog);
  const log: Logger = {
    info: (m) => {
      process.stderr.write(`carpd: ${m}\n`);
      syslog('info', m);
    },
    warn: (m) => {
      process.stderr.write(`carpd: warning: ${m}\n`);
      syslog('warning', m);
    },
    event: (line) => {
      process.stdout.write(`${line}\n`);
      syslog('notice', line);
    },
  };
  const events = new EventLog(config.stateDir, config.node, config.eventLogLines, (m) => log.warn(m));
  const daemon = new Carpd(config, args.config, realIo, events, log);
  let transitions: StateSyncTransitions | undefined;
  if (config.stateSync) {
    const sync = createStateSync(config.stateSync, { dir: join(config.stateDir, 'conntrackd'), host: realHost, nudge: () => nudgeInChild(realHost, [process.execPath, process.argv[1], NUDGE_FLAG]) });
    const t = new StateSyncTransitions(sync, {
      setDemotion: (amount, why) => daemon.setDemotion('state-sync', amount, why),
      event: (e) => daemon.stateSyncEvent(e.kind, e.message),
      info: log.info,
      warn: log.warn,
    });
    transitions = t;
    daemon.attachStateSync(t);
  }
  const configSync = config.configSync
    ? new ConfigSync(config.configSync, { node: config.node, stateDir: config.stateDir, onEvent: (e) => daemon.configSyncEvent(e.kind, eventCause(e)), log: log.info })
    : undefined;
  if (configSync) daemon.attachConfigSync(configSyncControl(configSync));
  const beacon = new BeaconSender(config.beacon, { node: config.node, vhids: () => daemon.beaconVhids(), io: realBeaconIo, warn: log.warn });
  daemon.attachBeacon(beacon);
  let server: ControlServer;
  try {
    server = await startControlServer(config.controlSocket, daemon);
  } catch (e) {
    fail((e as Error).message, 1);
  }
  let stopping = false;
  const shutdown = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info(`${why}: stopping (masters bow out and release their VIPs)`);
    beacon.stop();
    await daemon.stop();
    await transitions?.stop();
    await configSync?.stop();
    await server.close();
    process.exit(code);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGHUP', () => {
    void daemon.handle({ cmd: 'reload' }).then((r) => ('error' in r ? log.warn(`reload failed: ${r.error.message}`) : log.info('message' in r ? r.message : 'reloaded')));
  });
  const internalError = (e: unknown) => {
    log.warn(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    void shutdown('internal error', 1);
  };
  process.on('uncaughtException', internalError);
  process.on('unhandledRejection', internalError);
  // State sync first: its not-ready demotion must be in place before the vhids leave INIT.
  const syncStarted = transitions?.start();
  await daemon.start();
  await syncStarted;
  beacon.start();
  // Config sync never holds CARP back: a node that cannot sync its configuration still takes over.
  const cs = await configSync?.start();
  if (cs && !cs.ok) log.warn(`config sync not running: ${cs.error.message}`);
  log.info(`node ${config.node}: ${config.vhids.length} vhid(s), control socket ${config.controlSocket}`);
}

void main();
