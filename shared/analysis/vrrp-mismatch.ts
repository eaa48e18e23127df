// What differs between two VRRP routers' advertisements of one VRID and makes each drop the other's: a router
// discards an advertisement of another version, auth type or simple-text password, and in VRRPv2 of another
// advertisement interval or address list (RFC 3768 §7.1; keepalived 2.2 checks the same, carp-wire.md §5).
// VRRPv3 backups adopt the master's interval, so there only the version and the address list matter.
import type { VrrpAdvert } from '../protocol/types.js';

export type VrrpSetting = 'version' | 'auth-type' | 'password' | 'interval' | 'addresses';

export interface VrrpDifference {
  setting: VrrpSetting;
  /** The difference in words, naming both sources; never the password itself. */
  text: string;
}

const AUTH_NAMES: Record<number, string> = { 0: 'no authentication', 1: 'a simple-text password', 2: 'IP AH authentication' };

export function vrrpDifferences(srcA: string, a: VrrpAdvert, srcB: string, b: VrrpAdvert): VrrpDifference[] {
  const out: VrrpDifference[] = [];
  if (a.version !== b.version) {
    out.push({ setting: 'version', text: `the VRRP version (${srcA} sends v${a.version}, ${srcB} v${b.version})` });
  } else if (a.kind === 'vrrp2') {
    const ta = a.authType ?? 0;
    const tb = b.authType ?? 0;
    if (ta !== tb) {
      out.push({ setting: 'auth-type', text: `the authentication type (${srcA} sends ${authName(ta)}, ${srcB} ${authName(tb)})` });
    } else if (ta === 1 && (a.authText ?? '') !== (b.authText ?? '')) {
      out.push({ setting: 'password', text: `the simple-text password in the authentication field (auth_pass; not shown here)` });
    }
    if (a.intervalCs !== b.intervalCs) {
      out.push({ setting: 'interval', text: `the advertisement interval (${srcA} ${seconds(a.intervalCs)}, ${srcB} ${seconds(b.intervalCs)})` });
    }
  }
  if (!sameAddresses(a.addresses, b.addresses)) {
    out.push({ setting: 'addresses', text: `the virtual addresses (${srcA}: ${list(a.addresses)}; ${srcB}: ${list(b.addresses)})` });
  }
  return out;
}

/** The fix for the given differences: which keepalived settings to align, and what keepalived logs meanwhile. */
export function vrrpMismatchFix(diffs: readonly VrrpDifference[]): string {
  const has = (s: VrrpSetting) => diffs.some((d) => d.setting === s);
  const steps: string[] = [];
  const logs: string[] = [];
  if (has('version')) {
    steps.push('set the same vrrp_version (global_defs) or version (vrrp_instance) on both');
    logs.push('"wrong version. Received ... and expect ..."');
  }
  if (has('auth-type') || has('password')) {
    steps.push('give both the same authentication { auth_type PASS auth_pass ... } block, or remove it from both (RFC 3768 dropped VRRP authentication; only the first 8 characters of auth_pass are sent)');
    logs.push(has('password') ? '"bad auth" or "received an invalid passwd!"' : '"received a 0 auth, expecting 1!" (and "received a 1 auth, expecting 0!" on the other)');
  }
  if (has('interval')) {
    steps.push('set the same advert_int on both');
    logs.push('"advertisement interval mismatch"');
  }
  if (has('addresses')) {
    steps.push('list exactly the same virtual_ipaddress entries on both (generate both nodes\' VIP definitions from one source and compare the VIP sets per VRID before applying)');
    logs.push('"received an unexpected ip number count" or "ip address associated with VRID ... not present in MASTER advert"');
  }
  return `Make the VRRP instance identical on both nodes: ${steps.join('; ')}. Only priority (and state) should differ. Until then keepalived logs ${logs.join(', ')} on each node, and both keep the virtual addresses. If the other source is not your cluster's node, another router uses this VRID: give one of them another virtual_router_id.`;
}

function authName(t: number): string {
  return AUTH_NAMES[t] ?? `auth type ${t}`;
}

function seconds(cs: number): string {
  return `${cs / 100} s`;
}

function list(addresses: readonly string[]): string {
  return addresses.length > 0 ? addresses.join(', ') : '(none)';
}

function sameAddresses(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((x, i) => x === sb[i]);
}
