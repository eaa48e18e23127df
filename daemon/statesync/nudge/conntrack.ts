import type { Endpoint } from './frames.js';

/** One side of a connection as that endpoint sees it: itself and the peer it talks to (after NAT). */
export interface FlowSide {
  self: Endpoint;
  peer: Endpoint;
}

/** Both sides of an established IPv4 TCP connection in `conntrack -L -p tcp` output. */
export interface TcpFlow {
  initiator: FlowSide;
  responder: FlowSide;
}

export function parseEstablishedTcp(text: string): TcpFlow[] {
  const flows: TcpFlow[] = [];
  for (const line of text.split('\n')) {
    if (!/^tcp\s+6\s+\d+\s+ESTABLISHED\s/.test(line)) continue;
    const kv = [...line.matchAll(/\b(src|dst|sport|dport)=(\S+)/g)].map((m) => m[2]);
    if (kv.length < 8 || !/^\d+\.\d+\.\d+\.\d+$/.test(kv[0])) continue;
    const [os, od, osp, odp, rs, rd, rsp, rdp] = kv;
    flows.push({
      initiator: { self: { ip: os, port: Number(osp) }, peer: { ip: od, port: Number(odp) } },
      responder: { self: { ip: rs, port: Number(rsp) }, peer: { ip: rd, port: Number(rdp) } },
    });
  }
  return flows;
}
