// CARP HMAC verification against the secrets given (`--secret VHID:PASSWORD[@VIP,...]`). With VIPs the result
// is immediate; without, the address set comes from the capture (see hmac-candidates.ts), which may only reveal
// it after the advertisement (a new master announces its addresses right after its first advertisement), so a
// result can be "pending" until an address set verifies or the caller gives up.
import { CarpAddressError, verifyCarpHmac } from '../protocol/carp-hmac.js';
import type { AddressClaim, CarpAdvert } from '../protocol/types.js';
import { ClaimedAddresses } from './hmac-candidates.js';
import type { CarpSecret, HmacResult } from './types.js';

export interface HmacSubject {
  vhid: number;
  srcMac: string | null;
  advert: CarpAdvert;
}

export interface Verified {
  addresses: string[];
  source: 'given' | 'capture';
}

export class HmacCheck {
  private readonly secrets = new Map<number, CarpSecret[]>();
  private readonly claims = new ClaimedAddresses();
  private readonly advertMacs = new Map<number, Set<string>>();
  /** Per vhid: the password and address set that verified last (tried first next time). */
  private readonly found = new Map<number, { password: string; verified: Verified }>();
  /** Per vhid: the candidate version at which nothing verified (no point retrying before new addresses). */
  private readonly exhausted = new Map<number, string>();
  private macVersion = 0;

  constructor(secrets: readonly CarpSecret[]) {
    for (const s of secrets) {
      const list = this.secrets.get(s.vhid) ?? [];
      list.push(s);
      this.secrets.set(s.vhid, list);
    }
  }

  get active(): boolean {
    return this.secrets.size > 0;
  }

  claim(c: AddressClaim): void {
    if (this.secrets.size > 0) this.claims.add(c);
  }

  /** The address set that verified `vhid` so far. */
  verifiedWith(vhid: number): Verified | undefined {
    return this.found.get(vhid)?.verified;
  }

  /**
   * 'unknown' without a secret for the vhid; 'ok' or 'bad' when it can be decided; null while the capture may
   * still reveal the address set (only when `final` is false).
   */
  check(s: HmacSubject, final: boolean): HmacResult | null {
    const secrets = this.secrets.get(s.vhid);
    if (!secrets) return 'unknown';
    if (s.srcMac) this.noteMac(s.vhid, s.srcMac);
    const a = s.advert;
    const known = this.found.get(s.vhid);
    if (known && verify(known.password, s.vhid, known.verified.addresses, a)) return 'ok';
    const given = secrets.filter((x) => x.vips && x.vips.length > 0);
    for (const x of given) {
      if (verify(x.password, s.vhid, x.vips!, a)) {
        this.found.set(s.vhid, { password: x.password, verified: { addresses: [...x.vips!], source: 'given' } });
        return 'ok';
      }
    }
    const searching = secrets.filter((x) => !x.vips || x.vips.length === 0);
    if (searching.length === 0) return 'bad';
    if (known?.verified.source === 'capture') return 'bad';
    const version = `${this.claims.version}/${this.macVersion}`;
    if (this.exhausted.get(s.vhid) === version) return final ? 'bad' : null;
    for (const set of this.claims.candidates(s.vhid, this.advertMacs.get(s.vhid) ?? [])) {
      for (const x of searching) {
        if (verify(x.password, s.vhid, set, a)) {
          this.found.set(s.vhid, { password: x.password, verified: { addresses: set, source: 'capture' } });
          return 'ok';
        }
      }
    }
    this.exhausted.set(s.vhid, version);
    return final ? 'bad' : null;
  }

  /** True when a secret for `vhid` names no VIPs (its results may wait for the capture to reveal them). */
  searches(vhid: number): boolean {
    return (this.secrets.get(vhid) ?? []).some((x) => !x.vips || x.vips.length === 0);
  }

  private noteMac(vhid: number, mac: string): void {
    let set = this.advertMacs.get(vhid);
    if (!set) {
      set = new Set();
      this.advertMacs.set(vhid, set);
    }
    if (set.size < 16 && !set.has(mac)) {
      set.add(mac);
      this.macVersion++;
    }
  }
}

function verify(password: string, vhid: number, addresses: readonly string[], a: CarpAdvert): boolean {
  try {
    return verifyCarpHmac(password, vhid, addresses, a.counter, a.hmac);
  } catch (err) {
    if (err instanceof CarpAddressError) return false;
    throw err;
  }
}
