// carpd's beacon: every INTERVAL_MS, and right after any vhid changes state, one datagram per vhid interface and
// address family listing this node's role in each vhid on it, signed with each vhid's password
// (shared/discovery/beacon.ts). IPv6 goes out on every vhid interface with a link-local address, whatever the
// vhid's VIPs: a listener on an IPv6-only segment then sees every node, and on a dual-stack one the second
// datagram still gets through where a switch prunes one family's multicast (IGMP vs MLD snooping). Both carry the
// same bytes (one sequence number), so a listener merges them into one node.
import { BEACON_GROUP, BEACON_GROUP6, BEACON_PORT, encodeBeacon, type BeaconRole } from '../../shared/discovery/beacon.js';
import { BEACON_DEFAULTS, type BeaconConfig } from './config.js';
import type { BeaconFamily, BeaconIo, BeaconSocket } from './io.js';
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

const linkKey = (iface: string, family: BeaconFamily) => `${iface}/${family}`;

export class BeaconSender implements BeaconHooks {
  private readonly cfg: BeaconConfig;
  private readonly links = new Map<string, Link>();
  private readonly addresses = new Map<string, { address: string | null; address6: string | null }>();
  private timer?: NodeJS.Timeout;
  private seq = 0;
  private sent = 0;
  private lastError: string | null = null;
  private stopped = false;

  constructor(
    cfg: BeaconConfig | undefined,
    private readonly deps: BeaconDeps,
  ) {
    this.cfg = { ...BEACON_DEFAULTS, ...cfg };
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
      group6: this.cfg.ipv6 ? BEACON_GROUP6 : null,
      port: BEACON_PORT,
      intervalSeconds: INTERVAL_MS / 1000,
      sshPort: this.cfg.sshPort,
      managementAddress: this.cfg.managementAddress ?? null,
      interfaces: [...this.addresses].map(([iface, a]) => ({ interface: iface, ...a })),
      sent: this.sent,
      lastError: this.lastError,
    };
  }

  /** Sends one round now (tests and the timer). */
  sendAll(): void {
    if (this.stopped) return;
    const byIface = new Map<string, BeaconVhid[]>();
    for (const v of this.deps.vhids()) byIface.set(v.interface, [...(byIface.get(v.interface) ?? []), v]);
    for (const key of [...this.links.keys()]) if (!byIface.has(key.slice(0, key.lastIndexOf('/')))) this.drop(key);
    for (const iface of [...this.addresses.keys()]) if (!byIface.has(iface)) this.addresses.delete(iface);
    for (const [iface, vhids] of byIface) this.sendOn(iface, vhids);
  }

  private sendOn(iface: string, vhids: BeaconVhid[]): void {
    const address = this.deps.io.addressOf(iface, 4);
    const address6 = this.cfg.ipv6 ? this.deps.io.addressOf(iface, 6) : null;
    this.addresses.set(iface, { address, address6 });
    if (!address && !address6) {
      this.drop(linkKey(iface, 4));
      this.drop(linkKey(iface, 6));
      return;
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
    this.sendFrom(iface, 4, address, data);
    this.sendFrom(iface, 6, address6, data);
  }

  private sendFrom(iface: string, family: BeaconFamily, address: string | null, data: Uint8Array): void {
    const key = linkKey(iface, family);
    if (!address) {
      this.drop(key);
      return;
    }
    let link = this.links.get(key);
    if (link?.address !== address) {
      this.drop(key);
      const fail = (e: Error) => this.failed(iface, family, e);
      link = { address, socket: this.deps.io.open(iface, family, address, fail).catch(fail) };
      this.links.set(key, link);
    }
    void link.socket.then((s) =>
      s?.send(data, (err) => {
        if (err) this.failed(iface, family, err);
        else this.sent++;
      }),
    );
  }

  private failed(iface: string, family: BeaconFamily, e: Error): null {
    const message = `beacon on ${iface} (IPv${family}): ${e.message}`;
    if (message !== this.lastError) this.deps.warn(`${message} (live discovery may not list this node while it is backup; retrying every ${INTERVAL_MS / 1000} s)`);
    this.lastError = message;
    this.drop(linkKey(iface, family));
    return null;
  }

  private drop(key: string): void {
    const link = this.links.get(key);
    if (!link) return;
    this.links.delete(key);
    void link.socket.then((s) => s?.close());
  }
}
