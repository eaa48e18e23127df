// Whether an address is taken on a segment, asked from a node on it: one ping, then the node's neighbour table
// (a host that drops pings still answers ARP). Used to keep the VIP off the ISP's gateway or a printer.
import type { SshSession } from '../ssh/session.js';

const PROBE = 'ping -c 1 -W 1 -I "$1" "$2" >/dev/null 2>&1 && exit 0; ip neigh show "$2" dev "$1" | grep -q lladdr';

export async function addressAnswers(session: SshSession, ifname: string, address: string): Promise<boolean> {
  const r = await session.exec(['sh', '-c', PROBE, 'carpdeck-pair', ifname, address]);
  return r.code === 0;
}
