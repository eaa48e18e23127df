// One virtual address advertised under two VRRP VRIDs at once: two nodes meant as one cluster with different
// virtual_router_id. Each sees no advertisement of its own VRID, so each is master and both hold the address.
// Counted like a split brain: once each side sent at least 3 advertisements while the other still counted as
// master (4 of its intervals after its last advertisement); a renumbering that stops the old VRID leaves it fewer.
import type { FindingEntry, FindingLog } from './finding-log.js';
import type { Observation } from './observation.js';

const MASTER_FACTOR = 4;
const MIN_ADVERTS = 3;
const MAX_ADDRESSES = 1024;

interface Side {
  last: Observation;
  /** Advertisements since this side last advertised with no other side counting as master. */
  overlapping: number;
}

export class VipOverlapCheck {
  /** Address and segment (family, VLANs) -> group id -> that group's latest advertiser of the address. */
  private readonly addresses = new Map<string, Map<string, Side>>();

  constructor(private readonly log: FindingLog) {}

  feed(o: Observation): void {
    if (o.givingUp || o.ha.kind === 'carp') return;
    for (const address of o.ha.addresses) this.feedAddress(o, address);
  }

  private feedAddress(o: Observation, address: string): void {
    const key = `${address}@${o.vlans.join('.')}`;
    let sides = this.addresses.get(key);
    if (!sides) {
      if (this.addresses.size >= MAX_ADDRESSES) return;
      sides = new Map();
      this.addresses.set(key, sides);
    }
    const others = [...sides.entries()].filter(([group, s]) => group !== o.groupId && s.last.src !== o.src && o.time - s.last.time <= MASTER_FACTOR * s.last.interval);
    const mine = sides.get(o.groupId) ?? { last: o, overlapping: 0 };
    mine.last = o;
    mine.overlapping = others.length > 0 ? mine.overlapping + 1 : 0;
    sides.set(o.groupId, mine);
    const rival = others.find(([, s]) => s.overlapping >= MIN_ADVERTS);
    if (!rival || mine.overlapping < MIN_ADVERTS) return;
    const findingKey = `split-brain:address:${key}`;
    if (this.log.has(findingKey)) {
      this.log.touch(findingKey, o.time, o.frame);
      return;
    }
    const [a, b] = [rival[1].last, o].sort((x, y) => x.vhid - y.vhid);
    this.log.note(findingKey, o.time, o.frame, () => ({
      kind: 'split-brain',
      severity: 'error',
      vhid: o.vhid,
      group: o.groupId,
      render: (e: FindingEntry) => ({
        message: `Split brain: 2 masters for the virtual address ${address} on this segment: ${a.src} advertises it as master of VRRP VRID ${a.vhid} and ${b.src} as master of VRID ${b.vhid}, side by side (last seen together ${new Date(e.lastTime * 1000).toISOString()}). A router only listens to advertisements of its own VRID, so each is alone, master, and answers for ${address}.`,
        fix: `If ${a.src} and ${b.src} are meant to be one cluster, set the same virtual_router_id on both (and the same auth_pass, advert_int and virtual_ipaddress). If they are separate routers, remove ${address} from one of them: an address belongs to one VRID only.`,
      }),
    }));
  }
}
