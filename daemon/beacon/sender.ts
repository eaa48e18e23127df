// carpd's beacon: every INTERVAL_MS, and right after any vhid changes state, one datagram per vhid interface
// listing this node's role in each vhid on it, signed with each vhid's password (shared/discovery/beacon.ts).
import { BEACON_GROUP, BEACON_PORT, encodeBeacon, type BeaconRole } from '../../shared/discovery/beacon.js';
import { BEACON_DEFAULTS, type BeaconConfig } from './config.js';
import type { BeaconIo, BeaconSocket } from './io.js';
import type { BeaconStatus } from './status.js';
import { CARPD_VERSION } from './version.js';

export const INTERVAL_MS = 1000;

export interface BeaconVhid {
  vhid: number;
  interface: string;
  state: 'INIT' | 'BACKUP' | 'MASTER';
  password: string;
}

/** What the daemon calls: a state changed; and what `status` shows. */
export interface BeaconHooks {
  stateChanged(): void;
  status(): BeaconStatus;
}

export interface BeaconDeps {
  node: string;
  /** The vhids as they are now (reload may change them). */
  vhids(): BeaconVhid[];
  io: BeaconIo;
  warn(message: string): void;
}

interface Link {
  address: string;
  socket: Promise<BeaconSocket | null>;
}

export class BeaconSender implements BeaconHooks {
  private readonly cfg: BeaconConfig;
  private readonly links = new Map<string, Link>();
  private readonly addresses = new Map<string, string | null>();
  private timer?: NodeJS.Timeout;
  private seq = 0;
  private sent = 0;
  private lastError: string | null = null;
  private stopped = false;

  constructor(
    cfg: BeaconConfig | undefined,
    private readonly deps: BeaconDeps,
  ) {
    this.cfg = cfg ?? BEACON_DEFAULTS;
  }

  start(): void {
    if (!this.cfg.enabled || this.stopped) return;
    this.sendAll();
    this.timer = setInterval(() => this.sendAll(), INTERVAL_MS);
  }

  stateChanged(): void {
    // After the action that reported the change, so the daemon's state already holds the new role.
    if (this.cfg.enabled && !this.stopped) setImmediate(() => this.sendAll());
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const l of this.links.values()) void l.socket.then((s) => s?.close());
    this.links.clear();
  }

  status(): BeaconStatus {
    return {
      enabled: this.cfg.enabled,
      group: BEACON_GROUP,
      port: BEACON_PORT,
      intervalSeconds: INTERVAL_MS / 1000,
      sshPort: this.cfg.sshPort,
      managementAddress: this.cfg.managementAddress ?? null,
      interfaces: [...this.addresses].map(([iface, address]) => ({ interface: iface, address })),
      sent: this.sent,
      lastError: this.lastError,
    };
  }

  /** Sends one round now (tests and the timer). */
  sendAll(): void {
    if (this.stopped) return;
    const byIface = new Map<string, BeaconVhid[]>();
    for (const v of this.deps.vhids()) byIface.set(v.interface, [...(byIface.get(v.interface) ?? []), v]);
    for (const iface of [...this.links.keys()]) if (!byIface.has(iface)) this.drop(iface);
    for (const [iface, vhids] of byIface) this.sendOn(iface, vhids);
  }

  private sendOn(iface: string, vhids: BeaconVhid[]): void {
    const address = this.deps.io.addressOf(iface);
    this.addresses.set(iface, address);
    if (!address) {
      this.drop(iface);
      return;
    }
    let link = this.links.get(iface);
    if (link?.address !== address) {
      this.drop(iface);
      link = { address, socket: this.deps.io.open(address, (e) => this.failed(iface, e)).catch((e: Error) => this.failed(iface, e)) };
      this.links.set(iface, link);
    }
    const data = encodeBeacon(
      {
        name: this.deps.node,
        version: CARPD_VERSION,
        sshPort: this.cfg.sshPort,
        seq: this.seq++,
        managementAddress: this.cfg.managementAddress,
        vhids: vhids.map((v) => ({ vhid: v.vhid, role: v.state.toLowerCase() as BeaconRole })),
      },
      new Map(vhids.filter((v) => v.password).map((v) => [v.vhid, v.password])),
    );
    const current = link;
    void current.socket.then((s) =>
      s?.send(data, (err) => {
        if (err) this.failed(iface, err);
        else this.sent++;
      }),
    );
  }

  private failed(iface: string, e: Error): null {
    const message = `beacon on ${iface}: ${e.message}`;
    if (message !== this.lastError) this.deps.warn(`${message} (live discovery will not list this node while it is backup; retrying every ${INTERVAL_MS / 1000} s)`);
    this.lastError = message;
    this.drop(iface);
    return null;
  }

  private drop(iface: string): void {
    const link = this.links.get(iface);
    if (!link) return;
    this.links.delete(iface);
    void link.socket.then((s) => s?.close());
  }
}
