// The usual HA topology: two firewalls and a client on a LAN segment, optionally a WAN segment and extra nodes.
import type { Lab, LabBridge, LabNode } from './lab.js';

export interface PairTopology {
  lan: LabBridge;
  wan?: LabBridge;
  fw1: LabNode;
  fw2: LabNode;
  client: LabNode;
  extra: Record<string, LabNode>;
}

export interface PairOptions {
  /** Add a WAN bridge with a `wan` link on both firewalls (10.0.2.0/24, 2001:db8:2::/64). */
  wan?: boolean;
  /** More nodes on the LAN (e.g. a rogue peer), host numbers 10, 11, ... */
  extra?: string[];
}

const HOST = { fw1: 2, fw2: 3, client: 100 } as const;

/** Address of host number `n` on segment 1 (LAN) or 2 (WAN), with or without the prefix length. */
export function segAddr(segment: 1 | 2, n: number, family: 4 | 6 = 4, withPrefix = false): string {
  const a = family === 4 ? `10.0.${segment}.${n}` : `2001:db8:${segment}::${n.toString(16)}`;
  return withPrefix ? `${a}/${family === 4 ? 24 : 64}` : a;
}

export const LAN = {
  fw1: segAddr(1, HOST.fw1),
  fw2: segAddr(1, HOST.fw2),
  client: segAddr(1, HOST.client),
  vip4: segAddr(1, 1),
  vip6: segAddr(1, 1, 6),
} as const;

export async function buildPair(lab: Lab, opts: PairOptions = {}): Promise<PairTopology> {
  const lan = await lab.bridge('lan');
  const wan = opts.wan ? await lab.bridge('wan') : undefined;
  const extraNames = opts.extra ?? [];
  const [fw1, fw2, client, ...others] = await Promise.all(['fw1', 'fw2', 'client', ...extraNames].map((n) => lab.node(n)));
  const lanLink = (node: LabNode, n: number) =>
    lab.link(node, lan, { ifname: 'lan', addrs: [segAddr(1, n, 4, true), segAddr(1, n, 6, true)] });
  await Promise.all([
    lanLink(fw1, HOST.fw1),
    lanLink(fw2, HOST.fw2),
    lanLink(client, HOST.client),
    ...others.map((node, i) => lanLink(node, 10 + i)),
    ...(wan
      ? [
          lab.link(fw1, wan, { ifname: 'wan', addrs: [segAddr(2, HOST.fw1, 4, true), segAddr(2, HOST.fw1, 6, true)] }),
          lab.link(fw2, wan, { ifname: 'wan', addrs: [segAddr(2, HOST.fw2, 4, true), segAddr(2, HOST.fw2, 6, true)] }),
        ]
      : []),
  ]);
  return { lan, wan, fw1, fw2, client, extra: Object.fromEntries(extraNames.map((n, i) => [n, others[i]])) };
}
