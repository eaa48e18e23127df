// Address sets the capture reveals for a vhid: gratuitous ARP and unsolicited NA claims from the vhid's virtual
// MAC (00:00:5e:00:01:VHID, ucarp's 00:00:5e:00:00:VHID) or from a MAC its advertisements came from, and, as a
// last resort, every address claimed in the capture on its own (ucarp claims its VIP from the node's real MAC).
import type { AddressClaim } from '../protocol/types.js';

const MAX_ADDRESSES = 256;

export class ClaimedAddresses {
  private readonly byMac = new Map<string, Set<string>>();
  private readonly all = new Set<string>();
  /** Changes whenever a new address is learnt, so callers know when retrying is worthwhile. */
  version = 0;

  add(claim: AddressClaim): void {
    if (this.all.size >= MAX_ADDRESSES && !this.all.has(claim.address)) return;
    let set = this.byMac.get(claim.mac);
    if (!set) {
      set = new Set();
      this.byMac.set(claim.mac, set);
    }
    if (set.has(claim.address)) return;
    set.add(claim.address);
    this.all.add(claim.address);
    this.version++;
  }

  /** Candidate address sets for `vhid`, most specific first, each set once. */
  candidates(vhid: number, advertMacs: Iterable<string>): string[][] {
    const hex = vhid.toString(16).padStart(2, '0');
    const macs = new Set([`00:00:5e:00:01:${hex}`, `00:00:5e:00:00:${hex}`, ...advertMacs]);
    const out: string[][] = [];
    const seen = new Set<string>();
    const push = (set: string[]) => {
      if (set.length === 0) return;
      const key = [...set].sort().join(',');
      if (seen.has(key)) return;
      seen.add(key);
      out.push(set);
    };
    for (const mac of macs) {
      const claimed = this.byMac.get(mac);
      if (!claimed) continue;
      const list = [...claimed];
      push(list);
      push(list.filter((a) => !a.includes(':')));
      push(list.filter((a) => a.includes(':')));
      for (const a of list) push([a]);
    }
    for (const a of this.all) push([a]);
    return out;
  }
}
