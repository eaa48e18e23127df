// The checks that need only one node's inventory: system, privileges, packages, the preflight's own tools,
// interfaces and conntrack accounting.
import type { NodeRole, PreflightCheck } from '../../../../shared/pairing/schema.js';
import { glibcAtLeast } from '../../deploy/artifacts.js';
import { fail, listWords, pass, warn } from './check.js';
import type { NodeInventory } from './facts.js';
import { installRemedy } from './remedies.js';

export interface BundleNeeds {
  /** uname -m of the carpd runtime that would be deployed. */
  arch: string;
  /** Its glibc (undefined: not a glibc build, nothing to compare). */
  glibc?: string;
}

const SUPPORTED_ARCH = ['x86_64', 'aarch64'];

export function osCheck(node: NodeRole, inv: NodeInventory, bundle: BundleNeeds): PreflightCheck {
  const base = { id: 'os', node, title: 'Operating system and architecture' };
  const what = `${inv.os} (${inv.system || 'unknown system'} ${inv.kernel}, ${inv.arch || 'unknown architecture'}${inv.glibc ? `, glibc ${inv.glibc}` : ''})`;
  if (inv.system !== 'Linux') return fail({ ...base, detail: `${what}: carpd runs on Linux only`, fix: 'use a Linux firewall (Debian 12 or newer is what CarpDeck is tested on)' });
  if (!SUPPORTED_ARCH.includes(inv.arch)) return fail({ ...base, detail: `${what}: carpd is built for x86_64 and aarch64 only`, fix: 'use an x86_64 or aarch64 machine for the firewall' });
  if (inv.arch !== bundle.arch) {
    return fail({ ...base, detail: `${what}: the carpd runtime this CarpDeck would deploy is built for ${bundle.arch}`, fix: `run CarpDeck from a ${inv.arch} machine, or use a CarpDeck build that carries a ${inv.arch} runtime` });
  }
  if (bundle.glibc && (!inv.glibc || !glibcAtLeast(inv.glibc, bundle.glibc))) {
    return fail({
      ...base,
      detail: `${what}: the bundled Node runtime needs glibc ${bundle.glibc} or newer${inv.glibc ? '' : ' and this node has no glibc (musl?)'}`,
      fix: `upgrade the node to a distribution with glibc ${bundle.glibc} or newer (Debian 12 has 2.36)`,
    });
  }
  return pass({ ...base, detail: what });
}

export function privilegeCheck(node: NodeRole, inv: NodeInventory, user: string): PreflightCheck {
  const base = { id: 'privileges', node, title: 'Root or sudo' };
  if (inv.uid === 0) return pass({ ...base, detail: `logged in as ${user}, which is root` });
  if (inv.sudo) return pass({ ...base, detail: `logged in as ${user} (uid ${inv.uid ?? '?'}), sudo works without a password prompt` });
  return fail({
    ...base,
    detail: `logged in as ${user} (uid ${inv.uid ?? 'unknown'}), ${inv.sudo === false ? 'and sudo asks for a password or refuses' : 'and sudo is not installed'}: carpd, nftables and the network tests need root`,
    fix: `log in as root, or give ${user} password-less sudo (e.g. "${user} ALL=(ALL) NOPASSWD: ALL" in /etc/sudoers.d/carpdeck, edited with visudo)`,
  });
}

/** What each required piece is called, how it is found, and the Debian package that brings it. */
const REQUIRED: { what: string; found: (inv: NodeInventory) => boolean; pkg: string }[] = [
  { what: 'ip (iproute2)', found: (inv) => 'ip' in inv.commands, pkg: 'iproute2' },
  { what: 'nft (nftables)', found: (inv) => 'nft' in inv.commands, pkg: 'nftables' },
  { what: 'conntrackd', found: (inv) => 'conntrackd' in inv.commands, pkg: 'conntrackd' },
  { what: 'libpcap', found: (inv) => inv.libpcap !== null, pkg: 'libpcap0.8' },
];

export function packagesCheck(node: NodeRole, inv: NodeInventory): PreflightCheck {
  const base = { id: 'packages', node, title: 'Required packages' };
  const missing = REQUIRED.filter((r) => !r.found(inv));
  const present = REQUIRED.filter((r) => r.found(inv)).map((r) => r.what);
  if (missing.length === 0) return pass({ ...base, detail: `found ${listWords(present)}` });
  const pkgs = missing.map((r) => r.pkg);
  return fail({
    ...base,
    detail: `missing: ${listWords(missing.map((r) => r.what))}${present.length ? ` (found ${listWords(present)})` : ''}`,
    fix: `install ${listWords(pkgs)} on the node: apt-get install ${pkgs.join(' ')} (Debian/Ubuntu), or the same packages with its package manager`,
    remedy: installRemedy(pkgs),
  });
}

/** tcpdump listens for adverts, python3 sends the test packets, timeout bounds the listening. */
export function toolsCheck(node: NodeRole, inv: NodeInventory): PreflightCheck {
  const base = { id: 'test-tools', node, title: 'Tools for the network tests' };
  const missing = (['tcpdump', 'python3', 'timeout'] as const).filter((c) => !(c in inv.commands));
  if (missing.length === 0) return pass({ ...base, detail: 'tcpdump, python3 and timeout are there for the listening and multicast tests' });
  const pkgs = missing.map((c) => (c === 'timeout' ? 'coreutils' : c === 'python3' ? 'python3-minimal' : c));
  return warn({
    ...base,
    detail: `missing ${listWords([...missing])}: the vhid listening and the multicast tests cannot run on this node`,
    fix: `install ${listWords(pkgs)} (apt-get install ${pkgs.join(' ')}) and run the preflight again`,
    remedy: installRemedy(pkgs),
  });
}

export function interfacesCheck(node: NodeRole, inv: NodeInventory): PreflightCheck {
  const base = { id: 'interfaces', node, title: 'Interfaces with addresses' };
  const withV4 = inv.interfaces.filter((i) => i.addresses.some((a) => !a.includes(':')));
  const list = inv.interfaces.map((i) => `${i.name}${i.up ? '' : ' (down)'}${i.addresses.length ? ` ${i.addresses.join(', ')}` : ' no address'}`);
  if (withV4.length === 0) {
    return fail({ ...base, detail: `no interface has an IPv4 address (${list.join('; ') || 'no interfaces'})`, fix: 'give the LAN, WAN and sync interfaces their addresses (ip addr add ... dev IFACE, and in the node\'s network configuration)' });
  }
  const down = withV4.filter((i) => !i.up);
  if (down.length > 0) {
    return warn({ ...base, detail: `${listWords(down.map((i) => i.name))} ${down.length === 1 ? 'has' : 'have'} an address but no link: ${list.join('; ')}`, fix: `bring ${down.length === 1 ? 'it' : 'them'} up (ip link set IFACE up) and check the cable or the virtual switch` });
  }
  return pass({ ...base, detail: list.join('; ') });
}

export function conntrackAcctCheck(node: NodeRole, inv: NodeInventory): PreflightCheck {
  const base = { id: 'conntrack-accounting', node, title: 'Conntrack accounting for state sync' };
  if (inv.conntrackAcct === '1') return pass({ ...base, detail: 'net.netfilter.nf_conntrack_acct is 1' });
  const missing = inv.conntrackAcct === null;
  return warn({
    ...base,
    detail: missing ? 'net.netfilter.nf_conntrack_acct does not exist: the nf_conntrack module is not loaded' : 'net.netfilter.nf_conntrack_acct is 0: synced states carry no packet and byte counters',
    fix: missing
      ? 'load nf_conntrack (modprobe nf_conntrack; it loads with the first stateful nftables rule), then sysctl -w net.netfilter.nf_conntrack_acct=1 and persist it in /etc/sysctl.d/'
      : 'sysctl -w net.netfilter.nf_conntrack_acct=1 and persist it in /etc/sysctl.d/ (the remedy does both)',
    remedy: missing ? undefined : { id: 'conntrack-acct', label: 'Turn conntrack accounting on (now and at boot)' },
  });
}
