// Whether an address is taken on a segment, asked from a node on it: one ping, then the node's neighbour table
// (a host that drops pings still answers ARP). Used to keep the VIP off the ISP's gateway or a printer. Run as root
// (through sudo for another login) like the rest of the pairing: `ping -I` binds to the interface.
import { rootSession, type NodeSession } from '../ssh/privilege.js';

const PROBE = 'ping -c 1 -W 1 -I "$1" "$2" >/dev/null 2>&1 && exit 0; ip neigh show "$2" dev "$1" | grep -q lladdr';

export async function addressAnswers(login: NodeSession, ifname: string, address: string): Promise<boolean> {
  const session = await rootSession(login, 'checking whether a VIP is free');
  const r = await session.exec(['sh', '-c', PROBE, 'carpdeck-pair', ifname, address]);
  return r.code === 0;
}
