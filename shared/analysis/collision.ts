// One vhid/VRID used by two things at once: CARP and VRRP (they share 224.0.0.18 and the 00:00:5e:00:01:xx MAC
// space), or two clusters of the same protocol that differ in what must match within one (advbase; VRRP version
// and address list; the HMAC, which shows a different password or address set).
import type { FindingEntry, FindingLog } from './finding-log.js';
import type { Observation } from './observation.js';

interface Seen {
  src: string;
  detail: string;
}

interface IdState {
  protocols: Map<'carp' | 'vrrp', Seen>;
  carp: Map<string, Seen>;
  vrrp: Map<string, Seen>;
}

const MAX_SOURCES = 64;

export class CollisionCheck {
  private readonly ids = new Map<string, IdState>();
  /** Group id -> the state of its vhid/VLAN (the families and protocols of one id share it). */
  private readonly byGroup = new Map<string, { id: string; st: IdState }>();

  constructor(private readonly log: FindingLog) {}

  feed(o: Observation): void {
    if (o.givingUp) return;
    let entry = this.byGroup.get(o.groupId);
    if (!entry) {
      const id = o.groupId.replace(/^(carp|vrrp):/, '').replace('/ipv6', '');
      let idState = this.ids.get(id);
      if (!idState) {
        idState = { protocols: new Map(), carp: new Map(), vrrp: new Map() };
        this.ids.set(id, idState);
      }
      entry = { id, st: idState };
      this.byGroup.set(o.groupId, entry);
    }
    const { id, st } = entry;
    if (!st.protocols.has(o.protocol)) {
      st.protocols.set(o.protocol, { src: o.src, detail: o.kind });
      const other = st.protocols.get(o.protocol === 'carp' ? 'vrrp' : 'carp');
      if (other) {
        const carp = o.protocol === 'carp' ? o.src : other.src;
        const vrrp = o.protocol === 'vrrp' ? o.src : other.src;
        this.collide(`vhid-collision:protocols:${id}`, o, () => ({
          message: `ID ${id} is used by CARP (${carp}) and VRRP (${vrrp}) on the same segment. Both use the virtual MAC 00:00:5e:00:01:${hex(o.vhid)}, so switches and hosts mix the two up.`,
          fix: `Give the CARP cluster and the VRRP routers different IDs (pick a vhid no one else advertises on this segment), or move one of them to another VLAN.`,
        }));
      }
    }
    const mine = o.protocol === 'carp' ? st.carp : st.vrrp;
    if (mine.has(o.src) || mine.size >= MAX_SOURCES) return;
    const detail = o.ha.kind === 'carp' ? `advbase ${o.ha.advbase}` : `${o.kind} addresses ${o.ha.addresses.join(', ') || '(none)'}`;
    mine.set(o.src, { src: o.src, detail });
    for (const other of mine.values()) {
      if (other.src === o.src || other.detail === detail) continue;
      this.collide(`vhid-collision:${o.groupId}`, o, () => ({
        message: `Two different ${o.protocol === 'carp' ? 'CARP' : 'VRRP'} configurations advertise on ${o.groupId}: ${other.src} (${other.detail}) and ${o.src} (${detail}). Either two clusters share this ID, or the two nodes of one cluster are configured differently.`,
        fix: o.protocol === 'carp'
          ? 'If they are one cluster, set the same advbase on both nodes (only advskew should differ). If not, give one of the clusters another vhid.'
          : 'If they are one cluster, configure the same VRRP version and the same virtual addresses on both routers. If not, give one of them another VRID.',
      }));
      return;
    }
  }

  /** Some sources of a group verify the HMAC and others do not: another cluster, or another password/address set. */
  hmacSplit(o: Observation, good: string, bad: string): void {
    this.collide(`vhid-collision:hmac:${o.groupId}`, o, () => ({
      message: `In ${o.groupId} the HMAC of ${good} verifies with the given secret but ${bad}'s does not: either a second CARP cluster uses vhid ${o.vhid}, or ${bad} has another password or address set.`,
      fix: `If ${bad} belongs to this cluster, give it the same password and exactly the same virtual addresses on this vhid. Otherwise move one cluster to another vhid.`,
    }));
  }

  private collide(key: string, o: Observation, render: (e: FindingEntry) => { message: string; fix: string }): void {
    this.log.note(key, o.time, o.frame, () => ({ kind: 'vhid-collision', severity: 'error', vhid: o.vhid, group: o.groupId, render }));
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
