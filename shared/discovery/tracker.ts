// Live discovery: fed every captured frame with its decode, it keeps one row per group (who is master, with what
// values, since when), the state-sync traffic, the analyser's findings and the events a timeline shows. The
// analyser's own checks (shared/analysis) run on every advertisement, so live and offline findings agree; only
// silence, which a capture file cannot show while it happens, is judged here against the caller's clock.
import { CollisionCheck } from '../analysis/collision.js';
import { FindingLog } from '../analysis/finding-log.js';
import { Group } from '../analysis/group.js';
import { HmacCheck } from '../analysis/hmac-check.js';
import { observe, type Observation } from '../analysis/observation.js';
import { checkAdvert, checkProblem } from '../analysis/packet-checks.js';
import { masterDownBound } from '../analysis/timing.js';
import type { CarpSecret, MasterChange } from '../analysis/types.js';
import type { Frame } from '../capture/types.js';
import type { DecodedFrame } from '../protocol/types.js';
import { SecondBuckets } from './buckets.js';
import type { DiscoveredGroup, DiscoveredNode, DiscoveryEvent, DiscoverySnapshot, LiveFinding, SyncTraffic, VendorGuess } from './types.js';
import { guessVendor, ipv4Id } from './vendor.js';
import { decodeBeacon, verifyBeacon } from './beacon.js';
import { beaconDatagram, type BeaconDatagram } from './beacon-frame.js';
import { noAdvertisementsFinding, silentGroupFinding } from './silence.js';

export interface TrackerOptions {
  /** Epoch seconds when discovery started. */
  started: number;
  interface?: string;
  /** CARP passwords to check HMACs with (`--secret`). */
  secrets?: CarpSecret[];
  /** Seconds without any advertisement before "no advertisements seen" (default 10). */
  quietSeconds?: number;
  /** Length of each group's sparkline, seconds (default 60). */
  historySeconds?: number;
  /** Events kept for snapshots (default 200). */
  keepEvents?: number;
}

interface Source {
  last: Observation;
  vendor: VendorGuess;
}

interface LiveGroup {
  group: Group;
  sources: Map<string, Source>;
  history: SecondBuckets;
  changesSeen: number;
  masterSince: number;
  silentSince: number | null;
}

interface BeaconSource {
  address: string;
  time: number;
}

interface SyncFlow extends Omit<SyncTraffic, 'rate'> {
  buckets: SecondBuckets;
}

const MAX_GROUPS = 4096;
const MAX_SOURCES = 64;
const MAX_FLOWS = 256;
const RATE_SECONDS = 10;
const MAX_NODES = 256;
/** A node counts as a group's backup while its last beacon is at most this old (carpd sends one every second). */
const BEACON_FRESH_SECONDS = 10;

export class DiscoveryTracker {
  private readonly log = new FindingLog();
  private readonly collisions = new CollisionCheck(this.log);
  private readonly hmac: HmacCheck;
  /** Per group: the first source whose HMAC verified (a later failing source means two clusters or passwords). */
  private readonly hmacOk = new Map<string, string>();
  private readonly groups = new Map<string, LiveGroup>();
  private readonly flows = new Map<string, SyncFlow>();
  private readonly nodes = new Map<string, DiscoveredNode>();
  /** Per node name and address family: where its last beacon came from and when. */
  private readonly beaconSources = new Map<string, { 4?: BeaconSource; 6?: BeaconSource }>();
  private readonly events: DiscoveryEvent[] = [];
  private readonly quietSeconds: number;
  private readonly historySeconds: number;
  private readonly keepEvents: number;
  private seq = 0;
  private packets = 0;
  private lastAdvert: number | null = null;

  constructor(private readonly opts: TrackerOptions) {
    this.hmac = new HmacCheck(opts.secrets ?? []);
    this.quietSeconds = opts.quietSeconds ?? 10;
    this.historySeconds = opts.historySeconds ?? 60;
    this.keepEvents = opts.keepEvents ?? 200;
  }

  /** Feeds one frame; returns the events it caused (a new master, a failover). */
  feed(frame: Frame, decoded: DecodedFrame | null): DiscoveryEvent[] {
    this.packets++;
    const time = frame.tsSec + frame.tsNsec / 1e9;
    if (!decoded) {
      const beacon = beaconDatagram(frame.linkType, frame.data);
      if (beacon) this.feedBeacon(beacon, time);
      return [];
    }
    if (decoded.problem) checkProblem(this.log, decoded.problem, frame.index, time, frame.linkType);
    if (decoded.claim) this.hmac.claim(decoded.claim);
    const ha = decoded.ha;
    if (!ha) return [];
    if (ha.kind === 'pfsync' || ha.kind === 'conntrackd') {
      if (decoded.ip) this.feedSync(ha.kind, decoded.ip.src, decoded.ip.dst, time);
      return [];
    }
    const o = observe(frame.index, time, decoded);
    if (!o) return [];
    return this.feedAdvert(o, ipv4Id(frame.linkType, frame.data, decoded.link.vlans.length, o.ip.family));
  }

  /** Judges silence against `now` (epoch seconds); returns the events it caused. Call it about once a second. */
  tick(now: number): DiscoveryEvent[] {
    const out: DiscoveryEvent[] = [];
    for (const lg of this.groups.values()) {
      const master = lg.group.timeline.master;
      if (master === null || lg.silentSince !== null) continue;
      const last = lg.sources.get(master)?.last;
      if (!last || now - last.time <= silenceBound(last)) continue;
      lg.silentSince = last.time;
      const g = lg.group.first;
      out.push(
        this.push({
          seq: 0,
          time: now,
          kind: 'silent',
          group: g.groupId,
          vhid: g.vhid,
          from: master,
          message: `${g.groupId}: no advertisement from the master ${master} for ${(now - last.time).toFixed(1)} s and no other node took over`,
        }),
      );
    }
    return out;
  }

  /** Records something about the capture itself (interface down, back up, permission problem). */
  note(time: number, level: 'info' | 'warning' | 'error', code: string, message: string): DiscoveryEvent {
    return this.push({ seq: 0, time, kind: 'capture', level, code, message });
  }

  /** A carpd node's announcement (name, version, role per vhid): backups appear though they never advertise. */
  announce(node: DiscoveredNode): void {
    if (!this.nodes.has(node.name) && this.nodes.size >= MAX_NODES) return;
    this.nodes.set(node.name, node);
  }

  /** The picture at `now`; `withEvents: false` leaves out the recent events (for streams that deliver them one by one). */
  snapshot(now: number, withEvents = true): DiscoverySnapshot {
    const groups = [...this.groups.values()].map((lg) => this.row(lg, now));
    groups.sort((a, b) => a.vhid - b.vhid || a.id.localeCompare(b.id));
    const sync: SyncTraffic[] = [...this.flows.values()].map(({ buckets, ...f }) => ({ ...f, rate: buckets.sum(now, RATE_SECONDS) / RATE_SECONDS }));
    const findings: LiveFinding[] = this.log.list();
    for (const lg of this.groups.values()) {
      if (lg.silentSince === null) continue;
      const g = lg.group.first;
      findings.push(silentGroupFinding(g.groupId, g.vhid, lg.group.timeline.master ?? '?', lg.silentSince, now));
    }
    const quiet = noAdvertisementsFinding(this.opts.interface ?? null, this.lastAdvert ?? this.opts.started, this.lastAdvert !== null, now, this.quietSeconds);
    if (quiet) findings.push(quiet);
    return {
      time: now,
      started: this.opts.started,
      interface: this.opts.interface ?? null,
      packets: this.packets,
      groups,
      nodes: [...this.nodes.values()],
      sync,
      findings,
      events: withEvents ? [...this.events] : [],
    };
  }

  private feedAdvert(o: Observation, ipId: number | null): DiscoveryEvent[] {
    this.lastAdvert = o.time;
    let lg = this.groups.get(o.groupId);
    if (!lg) {
      if (this.groups.size >= MAX_GROUPS) return [];
      lg = { group: new Group(o, this.log), sources: new Map(), history: new SecondBuckets(this.historySeconds), changesSeen: 0, masterSince: o.time, silentSince: null };
      this.groups.set(o.groupId, lg);
    }
    const known = lg.sources.get(o.src);
    if (known) known.last = o;
    else if (lg.sources.size < MAX_SOURCES) {
      lg.sources.set(o.src, { last: o, vendor: guessVendor({ kind: o.kind, srcMac: o.srcMac, tos: o.ip.tos, ipId }) });
    }
    lg.history.add(o.time);
    this.checkHmac(o);
    checkAdvert(this.log, o);
    this.collisions.feed(o);
    lg.group.feed(o);
    if (lg.group.timeline.master === o.src) lg.silentSince = null;
    const changes = lg.group.timeline.changes;
    const out: DiscoveryEvent[] = [];
    for (; lg.changesSeen < changes.length; lg.changesSeen++) {
      const c = changes[lg.changesSeen];
      lg.masterSince = c.time;
      out.push(this.push(masterEvent(o, c)));
    }
    return out;
  }

  /** A carpd beacon; malformed ones are not HA traffic anyone relies on, so they are dropped. */
  private feedBeacon(d: BeaconDatagram, time: number): void {
    const r = decodeBeacon(d.payload);
    if (!r.ok) return;
    const b = r.value.beacon;
    const verified = verifyBeacon(r.value, this.opts.secrets ?? []);
    // Anyone on the segment can send a beacon: one that fails the check never replaces a node that passed it.
    if (!verified && this.nodes.get(b.name)?.verified) return;
    const node: DiscoveredNode = { name: b.name, version: b.version, address: d.src, sshPort: b.sshPort, vhids: b.vhids, verified, lastSeen: time };
    // carpd sends the same beacon over IPv4 and IPv6: one node, the IPv4 source as its address while it is heard
    const sources = this.beaconSources.get(b.name) ?? {};
    sources[d.src.includes(':') ? 6 : 4] = { address: d.src, time };
    if (this.beaconSources.has(b.name) || this.beaconSources.size < MAX_NODES) this.beaconSources.set(b.name, sources);
    const fresh = (x?: BeaconSource) => (x && time - x.time <= BEACON_FRESH_SECONDS ? x.address : undefined);
    node.address = fresh(sources[4]) ?? d.src;
    const address6 = fresh(sources[6]);
    if (address6) node.address6 = address6;
    if (d.srcMac) node.mac = d.srcMac;
    if (b.managementAddress) node.managementAddress = b.managementAddress;
    this.announce(node);
  }

  private checkHmac(o: Observation): void {
    if (o.ha.kind !== 'carp' || !this.hmac.active) return;
    const result = this.hmac.check({ vhid: o.vhid, srcMac: o.srcMac, advert: o.ha }, false);
    if (result === 'ok') {
      this.hmacOk.set(o.groupId, this.hmacOk.get(o.groupId) ?? o.src);
      return;
    }
    if (result !== 'bad') return;
    const good = this.hmacOk.get(o.groupId);
    if (good && good !== o.src) this.collisions.hmacSplit(o, good, o.src);
    this.log.note(`hmac-failure:${o.groupId}:${o.src}`, o.time, o.frame, () => ({
      kind: 'hmac-failure',
      severity: 'error',
      vhid: o.vhid,
      group: o.groupId,
      render: (e) => ({
        message: `${e.count} CARP advertisement${e.count === 1 ? '' : 's'} from ${o.src} in ${o.groupId} failed the HMAC check with the password you entered. Peers with another password drop them, so each node thinks it is alone and becomes master.`,
        fix: `Check the password, and that every node has exactly the same virtual addresses on vhid ${o.vhid} (the HMAC covers all of them, IPv4 and IPv6; only the first 19 bytes of the password count).`,
      }),
    }));
  }

  private feedSync(kind: 'pfsync' | 'conntrackd', src: string, dst: string, time: number): void {
    const key = `${kind} ${src} ${dst}`;
    let f = this.flows.get(key);
    if (!f) {
      if (this.flows.size >= MAX_FLOWS) return;
      f = { kind, src, dst, packets: 0, firstSeen: time, lastSeen: time, buckets: new SecondBuckets(RATE_SECONDS) };
      this.flows.set(key, f);
    }
    f.packets++;
    f.lastSeen = time;
    f.buckets.add(time);
  }

  private row(lg: LiveGroup, now: number): DiscoveredGroup {
    const g = lg.group;
    const first = g.first;
    const masterSrc = g.timeline.master;
    const source = masterSrc === null ? undefined : lg.sources.get(masterSrc);
    const latest = source?.last ?? first;
    const silent = lg.silentSince !== null || masterSrc === null;
    const row: DiscoveredGroup = {
      id: first.groupId,
      kind: latest.kind,
      protocol: first.protocol,
      vhid: first.vhid,
      family: first.ip.family,
      vlans: first.vlans,
      master: silent || !source ? null : { address: latest.src, mac: latest.srcMac, vendor: source.vendor, since: lg.masterSince },
      lastMaster: masterSrc,
      announcedInterval: latest.interval,
      measuredInterval: g.timeline.measuredInterval(),
      demoted: latest.givingUp || (latest.ha.kind === 'carp' && (latest.ha.advskew >= 240 || latest.ha.demote > 0)),
      state: silent ? 'silent' : 'advertising',
      adverts: g.adverts,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
      sources: [...lg.sources.keys()],
      masterChanges: Math.max(0, g.timeline.changes.length - 1),
      history: lg.history.values(now),
    };
    const backups = [...this.nodes.values()]
      .filter((n) => now - n.lastSeen <= BEACON_FRESH_SECONDS && n.vhids.some((v) => v.vhid === first.vhid && v.role === 'backup'))
      .map((n) => ({ node: n.name, address: n.address, verified: n.verified }));
    if (first.protocol === 'carp') row.backups = backups;
    if (latest.ha.kind === 'carp') {
      row.advbase = latest.ha.advbase;
      row.advskew = latest.ha.advskew;
      row.demote = latest.ha.demote;
    } else {
      row.priority = latest.ha.priority;
      row.addresses = latest.ha.addresses;
    }
    return row;
  }

  private push(e: DiscoveryEvent): DiscoveryEvent {
    e.seq = ++this.seq;
    this.events.push(e);
    if (this.events.length > this.keepEvents) this.events.shift();
    return e;
  }
}

/** A master is gone once the protocol's own master-down time (plus a second of slack) passed without a word. */
function silenceBound(last: Observation): number {
  return masterDownBound(last.ha) + 1;
}

function masterEvent(o: Observation, c: MasterChange): DiscoveryEvent {
  return {
    seq: 0,
    time: c.time,
    kind: 'master',
    group: o.groupId,
    vhid: o.vhid,
    from: c.from,
    to: c.to,
    cause: c.cause,
    message: c.from === null ? `${o.groupId}: ${c.to} is master` : `${o.groupId}: failover, ${c.explanation}`,
  };
}
