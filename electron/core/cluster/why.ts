// Why a node is master or backup of a vhid, in plain words, from its own carpd status compared with what the other
// connected nodes report for the same vhid. CARP prefers the lower demotion, then the shorter advertisement interval
// (advbase, then the skew as sent, which includes the demotion); a backup with a better advertisement takes over
// only with preemption on.
import type { CarpdStatus } from '../../../daemon/control/protocol.js';

type Vhid = CarpdStatus['vhids'][number];

export interface PeerStatus {
  /** The node's id in the cluster (USER@HOST[:PORT]). */
  id: string;
  status: CarpdStatus;
}

interface Peer {
  name: string;
  status: CarpdStatus;
  v: Vhid;
}

const nameOf = (p: PeerStatus) => p.status.node || p.id;

const reasonsOf = (s: CarpdStatus) =>
  Object.entries(s.demotionReasons)
    .filter(([, n]) => n !== 0)
    .map(([k, n]) => `${k} +${n}`)
    .join(', ');

function demotedBy(s: CarpdStatus): string {
  if (s.maintenance) return `in maintenance (demotion ${s.demotion})`;
  const reasons = reasonsOf(s);
  return `demoted by ${s.demotion}${reasons ? ` (${reasons})` : ''}`;
}

/** Negative when `a` advertises better (CARP order: demote byte, then advbase, then the skew as sent). */
export function better(aStatus: CarpdStatus, a: Vhid, bStatus: CarpdStatus, b: Vhid): number {
  const da = Math.min(aStatus.demotion, 255);
  const db = Math.min(bStatus.demotion, 255);
  if (da !== db) return da - db;
  return a.advbase * 256 + a.advskewSent - (b.advbase * 256 + b.advskewSent);
}

export function explainVhid(self: CarpdStatus, v: Vhid, others: readonly PeerStatus[]): string {
  const peers: Peer[] = others.flatMap((p) => {
    const pv = p.status.vhids.find((x) => x.vhid === v.vhid);
    return pv ? [{ name: nameOf(p), status: p.status, v: pv }] : [];
  });
  const skews = (list: Peer[]) => list.map((p) => `${p.name} skew ${p.v.advskewSent}${p.status.demotion ? ` (demotion ${p.status.demotion})` : ''}`).join(', ');

  if (v.state === 'INIT') {
    return `INIT: not taking part yet — interface ${v.interface} is down or has no address, or carpd is starting`;
  }

  if (v.state === 'MASTER') {
    const otherMasters = peers.filter((p) => p.v.state === 'MASTER');
    if (otherMasters.length > 0) {
      return `MASTER: ${otherMasters.map((p) => p.name).join(', ')} is MASTER too — split brain: they do not hear each other's advertisements on ${v.interface} (check the link, VLAN and the CARP password)`;
    }
    if (self.maintenance) return `MASTER although in maintenance: no other node took over after the bow-out, so this node keeps the VIPs (demotion ${self.demotion}); check that the peer runs and hears ${v.interface}`;
    if (peers.length === 0) return `MASTER: peer not heard — no other node of this vhid is connected here; this node advertises skew ${v.advskewSent}`;
    const down = peers.filter((p) => p.status.maintenance || p.v.state === 'INIT');
    if (down.length === peers.length) {
      return `MASTER: ${peers.map((p) => (p.status.maintenance ? `${p.name} is in maintenance (demotion ${p.status.demotion})` : `${p.name} is in INIT (interface ${p.v.interface} down?)`)).join(', ')}`;
    }
    const worse = peers.filter((p) => better(self, v, p.status, p.v) < 0);
    if (worse.length === peers.length) return `MASTER: advertises skew ${v.advskewSent}${self.demotion ? ` (demotion ${self.demotion})` : ''}, ${skews(peers)}`;
    const preemptOff = peers.filter((p) => better(self, v, p.status, p.v) >= 0 && !p.v.preempt);
    if (preemptOff.length > 0) {
      return `MASTER: stays master although ${preemptOff.map((p) => p.name).join(', ')} advertises better (skew ${v.advskewSent} vs ${skews(preemptOff)}): preemption is off there`;
    }
    return `MASTER: advertises skew ${v.advskewSent}, ${skews(peers)}`;
  }

  // BACKUP
  if (self.maintenance) return `BACKUP: in maintenance (demotion ${self.demotion})`;
  const master = peers.find((p) => p.v.state === 'MASTER');
  if (master) {
    const c = better(self, v, master.status, master.v);
    const cmp = `skew ${master.v.advskewSent}${master.status.demotion ? `, demotion ${master.status.demotion}` : ''} vs ${v.advskewSent}${self.demotion ? `, demotion ${self.demotion}` : ''} here`;
    if (self.demotion > master.status.demotion) return `BACKUP: ${demotedBy(self)}; ${master.name} is master (${cmp})`;
    if (c > 0) return `BACKUP: ${master.name} is master with lower skew (${cmp})`;
    if (c === 0) return `BACKUP: ${master.name} is master with the same skew (${cmp}); the master keeps it on a tie`;
    return v.preempt
      ? `BACKUP: this node advertises better (${cmp}) and will preempt ${master.name} with its next advertisement`
      : `BACKUP: ${master.name} stays master although this node advertises better (${cmp}): preemption is off`;
  }
  if (self.demotion > 0) return `BACKUP: ${demotedBy(self)}${v.master ? `; master is ${v.master}` : ''}`;
  if (v.master && v.master !== 'this node') {
    const heard = v.lastHeardSecondsAgo === null ? '' : ` (heard ${v.lastHeardSecondsAgo.toFixed(1)} s ago)`;
    return `BACKUP: ${v.master} is master${heard}${peers.length === 0 ? '; that node is not connected here' : ''}`;
  }
  return `BACKUP: waiting — no master heard yet on ${v.interface}`;
}
