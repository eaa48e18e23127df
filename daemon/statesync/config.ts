import { z } from 'zod';
import { parseIpv4, parseIpv6 } from '../../shared/util/addr.js';
import { must, whole } from '../config/field-errors.js';

/** Protocol names as conntrackd's `Protocol Accept` clause spells them, keyed by the config's lower-case name. */
export const PROTOCOLS = { tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', icmpv6: 'IPv6-ICMP', sctp: 'SCTP', dccp: 'DCCP' } as const;
export type SyncProtocol = keyof typeof PROTOCOLS;

const address = (what: string) =>
  z.string({ error: must(`an IP address: ${what}`) }).refine((s) => familyOf(s) !== null, {
    error: (iss) => `must be an IPv4 or IPv6 address without prefix (${what}), got ${JSON.stringify(iss.input)}`,
  });

const network = z.string({ error: must('an address or network such as "192.0.2.0/24"') }).refine((s) => familyOf(s.replace(/\/\d{1,3}$/, '')) !== null, {
  error: (iss) => `must be an IPv4 or IPv6 address or network such as "192.0.2.0/24", got ${JSON.stringify(iss.input)}`,
});

export function familyOf(addr: string): 4 | 6 | null {
  if (parseIpv4(addr)) return 4;
  if (!addr.includes('%') && parseIpv6(addr)) return 6;
  return null;
}

/**
 * `"stateSync"` in the carpd config: conntrackd, run and driven by carpd, keeps the conntrack table of the peer
 * over a dedicated link. Only `interface` and (for unicast) `peer` are required.
 */
export const stateSyncSchema = z
  .object({
    /** The dedicated sync link. */
    interface: z.string({ error: must('the dedicated sync interface, e.g. "sync"') }).regex(/^[^\s/]{1,15}$/, {
      error: (iss) => `must be a Linux interface name (1..15 characters, no spaces or "/"), got ${JSON.stringify(iss.input)}`,
    }),
    /** The peer's address on the sync link (unicast); with multicast, only used by the preflight reachability check. */
    peer: address("the peer's address on the sync link").optional(),
    /** This node's address on the sync link; default: the interface's first address of the peer's family. */
    address: address("this node's address on the sync link").optional(),
    transport: z.enum(['unicast', 'multicast'], { error: must('"unicast" or "multicast"') }).default('unicast'),
    multicastGroup: address('the multicast group').default('225.0.0.50'),
    port: whole(1, 65535, 'the UDP port').default(3780),
    /** Sync only these protocols; default all that conntrackd can sync. */
    protocols: z
      .array(z.enum(Object.keys(PROTOCOLS) as [SyncProtocol, ...SyncProtocol[]], { error: must(`one of ${Object.keys(PROTOCOLS).join(', ')}`) }))
      .min(1, { error: 'must list at least one protocol (or leave "protocols" out to sync all)' })
      .optional(),
    /** More addresses or networks whose traffic is never synced (e.g. the firewall's own management addresses). */
    ignore: z.array(network).default([]),
    /** Seconds a freshly started node stays demoted waiting for its bulk resync with the peer. */
    startupTimeout: whole(1, 3600, 'seconds').default(30),
    /** Seconds after which the old master's kernel drops states it no longer owns (`conntrackd -t`). */
    purgeTimeout: whole(1, 3600, 'seconds').default(60),
    /** Seconds of frozen counters, while the conntrack table changes, before a stall is reported. */
    stallAfter: whole(2, 3600, 'seconds').default(10),
    /** The conntrackd executable. */
    conntrackd: z.string({ error: must('a program path') }).min(1, { error: 'must not be empty (a program path)' }).default('conntrackd'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.transport === 'unicast' && c.peer === undefined) {
      ctx.addIssue({ code: 'custom', path: ['peer'], message: 'is required with unicast transport (the address of the other firewall on the sync link)' });
    }
    if (c.transport === 'multicast' && familyOf(c.multicastGroup) !== 4) {
      ctx.addIssue({ code: 'custom', path: ['multicastGroup'], message: `must be an IPv4 multicast group such as "225.0.0.50", got ${JSON.stringify(c.multicastGroup)}` });
    } else if (c.transport === 'multicast') {
      const first = Number(c.multicastGroup.split('.')[0]);
      if (first < 224 || first > 239) ctx.addIssue({ code: 'custom', path: ['multicastGroup'], message: `must be in 224.0.0.0/4, got ${c.multicastGroup}` });
    }
    if (c.peer !== undefined && c.address !== undefined && familyOf(c.peer) !== familyOf(c.address)) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: `must be of the same family as peer ${c.peer}` });
    }
  });

export type StateSyncConfig = z.output<typeof stateSyncSchema>;
export type StateSyncConfigInput = z.input<typeof stateSyncSchema>;
