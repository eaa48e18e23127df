import { z } from 'zod';
import { parseIpv4, parseIpv6 } from '../../shared/util/addr.js';

const expect = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `is required (${what})` : `must be ${what}, got ${JSON.stringify(iss.input)}`;

/**
 * `"beacon"` in the carpd config: the announcement live discovery lists this node by (absent = on over IPv4 and
 * IPv6, SSH port 22).
 */
export const beaconSchema = z
  .object(
    {
      enabled: z.boolean({ error: expect('true or false') }).default(true),
      /** Also announce over IPv6 (link-local source, group ff02::4344:424b) on interfaces that have a link-local address. */
      ipv6: z.boolean({ error: expect('true or false') }).default(true),
      sshPort: z
        .number({ error: expect('a TCP port 1..65535') })
        .int({ error: (iss) => `must be a whole number 1..65535, got ${JSON.stringify(iss.input)}` })
        .min(1, { error: (iss) => `must be 1..65535, got ${JSON.stringify(iss.input)}` })
        .max(65535, { error: (iss) => `must be 1..65535, got ${JSON.stringify(iss.input)}` })
        .default(22),
      managementAddress: z
        .string({ error: expect('the IP address to manage this node at') })
        .refine((s) => parseIpv4(s) !== null || (parseIpv6(s) !== null && !s.includes('%')), {
          error: (iss) => `must be an IPv4 or IPv6 address without prefix, got ${JSON.stringify(iss.input)}`,
        })
        .optional(),
    },
    { error: expect('an object such as {"enabled": true, "ipv6": true, "sshPort": 22, "managementAddress": "192.168.1.2"}') },
  )
  .strict();

export type BeaconConfig = z.output<typeof beaconSchema>;

export const BEACON_DEFAULTS: BeaconConfig = { enabled: true, ipv6: true, sshPort: 22 };
