// One round trip per node for everything the node-level checks need: a fixed script prints labelled sections,
// parsed here into an inventory.
import type { CurrentVhid } from '../../../../shared/pairing/schema.js';
import type { PreflightSession } from './session.js';
import { shArgv } from './session.js';

export interface InterfaceFacts {
  name: string;
  mac: string | null;
  up: boolean;
  /** Addresses with prefix length, IPv4 and global IPv6, as `10.0.1.2/24`. */
  addresses: string[];
  /** Those of `addresses` that are leased (DHCP, router advertisements) rather than static. */
  dynamic: string[];
}

export interface NodeInventory {
  hostname: string;
  system: string;
  arch: string;
  kernel: string;
  os: string;
  /** `2.36`, or null when the node has no glibc (musl) or getconf is missing. */
  glibc: string | null;
  uid: number | null;
  /** Whether `sudo -n true` works (null when the login is root or sudo is absent). */
  sudo: boolean | null;
  /** Command name -> path, for the commands found and executable. */
  commands: Record<string, string>;
  /** The libpcap shared object the dynamic linker knows, or null. */
  libpcap: string | null;
  interfaces: InterfaceFacts[];
  /** Interfaces carrying an IPv4 or IPv6 default route. */
  defaultRoutes: string[];
  /** Neighbours the node has talked to: address and interface. */
  neighbours: { address: string; dev: string }[];
  /** net.netfilter.nf_conntrack_acct: '1', '0', or null when nf_conntrack is not loaded. */
  conntrackAcct: string | null;
  carpdVersion: string | null;
  /** The node's ed25519 host public key line, as it says itself. */
  hostKey: string | null;
  /** The vhid groups carpd is configured with now (no passwords), or null when the node has no carpd config. */
  carpd: { vhids: CurrentVhid[] } | null;
}

export const PROBED_COMMANDS = ['ip', 'nft', 'conntrackd', 'tcpdump', 'python3', 'timeout', 'apt-get'] as const;

const SCRIPT = `PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
echo @@uname; uname -s; uname -m; uname -r
echo @@hostname; hostname 2>/dev/null || cat /proc/sys/kernel/hostname
echo @@os; (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
echo @@glibc; getconf GNU_LIBC_VERSION 2>/dev/null
echo @@uid; id -u
echo @@sudo; if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then sudo -n true 2>/dev/null && echo yes || echo no; fi
echo @@commands; for c in ${PROBED_COMMANDS.join(' ')}; do p=$(command -v "$c" 2>/dev/null) && [ -x "$p" ] && echo "$c $p"; done
echo @@libpcap; ldconfig -p 2>/dev/null | grep -o 'libpcap\\.so[.0-9]*' | head -n 1
echo @@addr; ip -j addr 2>/dev/null
echo @@route; ip -j route show default 2>/dev/null; ip -j -6 route show default 2>/dev/null
echo @@neigh; ip -j neigh 2>/dev/null
echo @@acct; cat /proc/sys/net/netfilter/nf_conntrack_acct 2>/dev/null
echo @@carpd; readlink /opt/carpd/current 2>/dev/null
echo @@hostkey; cat /etc/ssh/ssh_host_ed25519_key.pub 2>/dev/null
for f in carpd vips; do echo "@@$f"json; if [ "$(id -u)" = 0 ]; then cat "/etc/carpd/$f.json"; else sudo -n cat "/etc/carpd/$f.json"; fi 2>/dev/null; done
echo @@end
`;

export async function gatherInventory(session: PreflightSession): Promise<NodeInventory> {
  const r = await session.exec(shArgv(SCRIPT));
  return parseInventory(r.stdout);
}

export function splitSections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const m = /^@@([a-z]+)$/.exec(line.trim());
    if (m) out.set(m[1], (current = []));
    else if (current && line.trim()) current.push(line.replace(/\r$/, ''));
  }
  return out;
}

function jsonArrays(lines: string[] | undefined): unknown[] {
  const out: unknown[] = [];
  for (const line of lines ?? []) {
    try {
      const v = JSON.parse(line) as unknown;
      if (Array.isArray(v)) out.push(...(v as unknown[]));
    } catch {
      // not ip's JSON (an error message): nothing to take from it
    }
  }
  return out;
}

interface IpLink {
  ifname?: string;
  address?: string;
  link_type?: string;
  flags?: string[];
  addr_info?: { family?: string; local?: string; prefixlen?: number; scope?: string; dynamic?: boolean }[];
}

export function parseInterfaces(lines: string[] | undefined): InterfaceFacts[] {
  return (jsonArrays(lines) as IpLink[])
    .filter((l) => l.ifname && l.link_type !== 'loopback')
    .map((l) => {
      const addrs = (l.addr_info ?? []).filter((a) => a.local && a.prefixlen !== undefined && (a.family === 'inet' || (a.family === 'inet6' && a.scope === 'global')));
      return {
        name: l.ifname as string,
        mac: l.address && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(l.address) ? l.address.toLowerCase() : null,
        up: Boolean(l.flags?.includes('UP') && l.flags.includes('LOWER_UP')),
        addresses: addrs.map((a) => `${a.local}/${a.prefixlen}`),
        dynamic: addrs.filter((a) => a.dynamic).map((a) => `${a.local}/${a.prefixlen}`),
      };
    });
}

export function parseInventory(text: string): NodeInventory {
  const s = splitSections(text);
  const first = (k: string) => s.get(k)?.[0]?.trim() ?? '';
  const uname = s.get('uname') ?? [];
  const commands: Record<string, string> = {};
  for (const line of s.get('commands') ?? []) {
    const [name, path] = line.trim().split(/\s+/, 2);
    if (name && path) commands[name] = path;
  }
  const uid = /^\d+$/.test(first('uid')) ? Number(first('uid')) : null;
  const sudo = first('sudo') === 'yes' ? true : first('sudo') === 'no' ? false : null;
  const routes = jsonArrays(s.get('route')) as { dev?: string }[];
  const neigh = jsonArrays(s.get('neigh')) as { dst?: string; dev?: string; state?: string[] }[];
  const acct = first('acct');
  const carpd = first('carpd');
  return {
    hostname: first('hostname'),
    system: uname[0]?.trim() ?? '',
    arch: uname[1]?.trim() ?? '',
    kernel: uname[2]?.trim() ?? '',
    os: first('os') || uname[0]?.trim() || 'unknown',
    glibc: /glibc (\d+(?:\.\d+)*)/.exec(first('glibc'))?.[1] ?? null,
    uid,
    sudo,
    commands,
    libpcap: first('libpcap') || null,
    interfaces: parseInterfaces(s.get('addr')),
    defaultRoutes: [...new Set(routes.map((r) => r.dev).filter((d): d is string => !!d))],
    neighbours: neigh.filter((n) => n.dst && n.dev && !n.state?.includes('FAILED') && !n.state?.includes('INCOMPLETE')).map((n) => ({ address: n.dst as string, dev: n.dev as string })),
    conntrackAcct: acct === '0' || acct === '1' ? acct : null,
    carpdVersion: carpd ? carpd.split('/').filter(Boolean).pop() ?? null : null,
    hostKey: first('hostkey') || null,
    carpd: currentCarpd(s.get('carpdjson'), s.get('vipsjson')),
  };
}

/** A vhid group as carpd's config has it now, with its password (the plan keeps it on a re-pair). */
export interface CurrentVhidSecret extends CurrentVhid {
  password: string;
}

function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The vhid groups of carpd's config: inline `vhids` of carpd.json, or those of its vhidsFile when that is the
 * pairing's /etc/carpd/vips.json (null for any other file: not read). carpd's defaults fill what is left out;
 * groups that are not well formed are skipped.
 */
export function parseCarpdVips(config: string | undefined, vipsFile: string | undefined): CurrentVhidSecret[] | null {
  const c = jsonObject(config);
  if (!c) return null;
  const source = c.vhidsFile === undefined ? c.vhids : c.vhidsFile === 'vips.json' || c.vhidsFile === '/etc/carpd/vips.json' ? jsonObject(vipsFile)?.vhids : undefined;
  if (!Array.isArray(source)) return null;
  const out: CurrentVhidSecret[] = [];
  for (const raw of source as Record<string, unknown>[]) {
    const { vhid, interface: ifname, advbase = 1, password = '', vips } = raw ?? {};
    const int = (v: unknown, max: number): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max;
    if (!int(vhid, 255) || typeof ifname !== 'string' || !int(advbase, 254) || typeof password !== 'string' || !Array.isArray(vips) || !vips.every((a) => typeof a === 'string')) continue;
    out.push({ vhid, interface: ifname, advbase, password, vips: vips as string[] });
  }
  return out;
}

/** The groups carpd runs on a node now, with their passwords; `session` must read /etc/carpd as root. */
export async function readCurrentCarpd(session: Pick<PreflightSession, 'exec'>): Promise<CurrentVhidSecret[] | null> {
  const [config, vips] = await Promise.all(['carpd', 'vips'].map((f) => session.exec(['cat', '--', `/etc/carpd/${f}.json`])));
  return config.code === 0 ? parseCarpdVips(config.stdout, vips.code === 0 ? vips.stdout : undefined) : null;
}

function currentCarpd(config: string[] | undefined, vipsFile: string[] | undefined): NodeInventory['carpd'] {
  const groups = parseCarpdVips(config?.join('\n'), vipsFile?.join('\n'));
  return groups && { vhids: groups.map(({ vhid, interface: ifname, advbase, vips }) => ({ vhid, interface: ifname, advbase, vips })) };
}
