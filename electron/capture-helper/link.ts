// Link state from sysfs (Linux). Elsewhere the helper relies on libpcap's errors alone.
import { readFileSync } from 'node:fs';

export type LinkState = 'missing' | 'admin-down' | 'no-carrier' | 'up' | 'unknown';

const IFF_UP = 0x1;

export function linkState(iface: string): LinkState {
  if (process.platform !== 'linux' || iface === 'any') return 'unknown';
  let flags: number;
  try {
    flags = Number.parseInt(readFileSync(`/sys/class/net/${iface}/flags`, 'utf8').trim(), 16);
  } catch {
    return 'missing';
  }
  if (!(flags & IFF_UP)) return 'admin-down';
  try {
    const carrier = readFileSync(`/sys/class/net/${iface}/carrier`, 'utf8').trim();
    return carrier === '1' ? 'up' : 'no-carrier';
  } catch {
    return 'up';
  }
}
