// The laptop's interfaces for the picker: addresses, link state, and (after a short listen on each) a hint which
// ones carry HA traffic.
import { readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { startDiscovery } from './session.js';

export interface InterfaceInfo {
  name: string;
  mac: string | null;
  addresses: string[];
  state: 'up' | 'no-carrier' | 'down' | 'unknown';
  loopback: boolean;
  /** Filled by probeInterfaces. */
  probe?: ProbeResult;
}

export interface ProbeResult {
  /** Groups heard during the probe, e.g. ["carp:1", "vrrp:20"]. */
  groups: string[];
  syncFlows: number;
  /** Why the interface could not be probed (permission, down, ...). */
  error?: string;
  /** For people: "CARP/VRRP seen: carp:1, vrrp:20", "no HA traffic in 2 s", ... */
  hint: string;
}

export function listInterfaces(): InterfaceInfo[] {
  const os = networkInterfaces();
  const names = new Set(Object.keys(os));
  if (process.platform === 'linux') {
    try {
      for (const n of readdirSync('/sys/class/net')) names.add(n);
    } catch {
      // no sysfs: os.networkInterfaces() alone
    }
  }
  return [...names].sort().map((name) => {
    const addrs = os[name] ?? [];
    const mac = addrs.find((a) => a.mac && a.mac !== '00:00:00:00:00:00')?.mac ?? sysfs(name, 'address');
    return {
      name,
      mac: mac && mac !== '00:00:00:00:00:00' ? mac : null,
      addresses: addrs.map((a) => a.cidr ?? a.address),
      state: stateOf(name),
      loopback: addrs.some((a) => a.internal) || name === 'lo',
    };
  });
}

/** Listens on every non-loopback interface that is up for `seconds` in parallel. */
export async function probeInterfaces(list: InterfaceInfo[], seconds: number, helperPath?: string): Promise<InterfaceInfo[]> {
  return Promise.all(
    list.map(async (i) => {
      if (i.loopback || i.state === 'down') return { ...i, probe: { groups: [], syncFlows: 0, hint: i.loopback ? 'loopback' : 'down' } };
      const session = startDiscovery({ iface: i.name, helperPath, quietSeconds: Number.MAX_SAFE_INTEGER });
      const timer = setTimeout(() => session.stop(), seconds * 1000);
      const failure = await session.done;
      clearTimeout(timer);
      const snap = session.snapshot();
      const groups = snap.groups.map((g) => g.id);
      const probe: ProbeResult = { groups, syncFlows: snap.sync.length, hint: '' };
      if (failure) {
        probe.error = failure.message;
        probe.hint = `cannot listen: ${failure.code}`;
      } else if (groups.length > 0) probe.hint = `HA traffic: ${groups.join(', ')}${snap.sync.length ? ' + state sync' : ''}`;
      else if (snap.sync.length > 0) probe.hint = 'state sync only';
      else probe.hint = `no HA traffic in ${seconds} s`;
      return { ...i, probe };
    }),
  );
}

function stateOf(name: string): InterfaceInfo['state'] {
  const flags = sysfs(name, 'flags');
  if (flags === null) return 'unknown';
  if (!(Number.parseInt(flags, 16) & 1)) return 'down';
  return sysfs(name, 'carrier') === '0' ? 'no-carrier' : 'up';
}

function sysfs(name: string, file: string): string | null {
  if (process.platform !== 'linux' || !/^[\w.:@-]+$/.test(name)) return null;
  try {
    return readFileSync(`/sys/class/net/${name}/${file}`, 'utf8').trim();
  } catch {
    return null;
  }
}
