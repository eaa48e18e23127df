import { z } from 'zod';
import { parseIpv4, parseIpv6 } from '../../shared/util/addr.js';
import { stateSyncSchema } from '../statesync/config.js';
import { configSyncSchema } from '../configsync/config.js';
import { beaconSchema } from '../beacon/config.js';

/** Error text for a wrong or missing value: "is required (…)" or "must be …, got …". */
const expect = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `is required (${what})` : `must be ${what}, got ${JSON.stringify(iss.input)}`;

const intIn = (lo: number, hi: number) => {
  const range = (iss: { input?: unknown }) => `must be ${lo}..${hi}, got ${JSON.stringify(iss.input)}`;
  return z
    .number({ error: expect(`a whole number ${lo}..${hi}`) })
    .int({ error: range })
    .min(lo, { error: range })
    .max(hi, { error: range });
};

const text = (what: string) =>
  z.string({ error: expect(`a string: ${what}`) }).min(1, { error: `must not be empty (${what})` });

const ifaceName = text('an interface name such as "eth0"').regex(/^[^\s/]{1,15}$/, {
  error: (iss) => `must be a Linux interface name (1..15 characters, no spaces or "/"), got ${JSON.stringify(iss.input)}`,
});

/** "10.0.1.1/24" or "2001:db8::1/64"; the prefix length is required so `ip addr add` puts the VIP in the right subnet. */
export const vipSchema = z.string({ error: expect('an address with prefix length such as "10.0.1.1/24"') }).refine(
  (s) => parseVip(s) !== null,
  { error: (iss) => `must be an IPv4 or IPv6 address with prefix length such as "10.0.1.1/24" or "2001:db8::1/64", got ${JSON.stringify(iss.input)}` },
);

export interface ParsedVip {
  family: 4 | 6;
  address: string;
  bytes: Uint8Array;
  prefix: number;
}

export function parseVip(text: string): ParsedVip | null {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return null;
  const prefix = Number(m[2]);
  const v4 = parseIpv4(m[1]);
  if (v4) return prefix <= 32 ? { family: 4, address: m[1], bytes: v4, prefix } : null;
  const v6 = parseIpv6(m[1]);
  if (v6 && !m[1].includes('%')) return prefix <= 128 ? { family: 6, address: m[1], bytes: v6, prefix } : null;
  return null;
}

const ipAddress = z.string({ error: expect('an IP address string') }).refine(
  (s) => parseIpv4(s) !== null || (parseIpv6(s) !== null && !s.includes('%')),
  { error: (iss) => `must be an IPv4 or IPv6 address without prefix, got ${JSON.stringify(iss.input)}` },
);

const argv = z
  .array(text('a program path or argument'), { error: expect('an argv array such as ["/usr/local/sbin/carp-up", "lan"]') })
  .min(1, { error: 'must name the program to run' });

export const vhidSchema = z
  .object(
    {
      vhid: intIn(1, 255),
      interface: ifaceName,
      advbase: intIn(1, 254).default(1),
      advskew: intIn(0, 254).default(0),
      password: z.string({ error: expect('a string (the shared CARP password)') }).default(''),
      vips: z.array(vipSchema, { error: expect('an array of addresses such as ["10.0.1.1/24"]') }).min(1, { error: 'must list at least one virtual IP' }),
      preempt: z.boolean({ error: expect('true or false') }).default(true),
      mode: z.enum(['multicast', 'unicast'], { error: (iss) => `must be "multicast" or "unicast", got ${JSON.stringify(iss.input)}` }).default('multicast'),
      peer: ipAddress.optional(),
      virtualMac: z.boolean({ error: expect('true or false') }).default(false),
      compat: z.enum(['bsd', 'ucarp'], { error: (iss) => `must be "bsd" or "ucarp", got ${JSON.stringify(iss.input)}` }).default('bsd'),
    },
    { error: expect('a vhid object such as {"vhid": 1, "interface": "lan", "password": "...", "vips": ["10.0.1.1/24"]}') },
  )
  .strict()
  .superRefine((v, ctx) => {
    if (v.mode === 'unicast' && v.peer === undefined) {
      ctx.addIssue({ code: 'custom', path: ['peer'], message: 'is required when mode is "unicast" (the address of the other node)' });
    }
    if (v.mode === 'multicast' && v.peer !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['mode'], message: 'must be "unicast" when a peer is given (or remove "peer")' });
    }
    const parsed = v.vips.map(parseVip);
    if (v.mode === 'unicast' && v.peer !== undefined) {
      const peerFamily = parseIpv4(v.peer) ? 4 : 6;
      if (parsed.some((p) => p && p.family !== peerFamily)) {
        ctx.addIssue({ code: 'custom', path: ['vips'], message: `must all be IPv${peerFamily} like the unicast peer ${v.peer} (use a second vhid for the other family)` });
      }
    }
    if (v.compat === 'ucarp') {
      if (parsed.length !== 1 || parsed[0]?.family !== 4) {
        ctx.addIssue({ code: 'custom', path: ['vips'], message: `must be exactly one IPv4 address with compat "ucarp" (ucarp authenticates one IPv4 VIP per vhid), got ${parsed.length}` });
      }
      if (new TextEncoder().encode(v.password).length > 19) {
        ctx.addIssue({ code: 'custom', path: ['password'], message: 'must be at most 19 bytes with compat "ucarp" (ucarp refuses longer passwords)' });
      }
    }
    const seen = new Set<string>();
    v.vips.forEach((vip, i) => {
      const p = parseVip(vip);
      if (!p) return;
      const k = `${p.family}:${p.bytes.join('.')}`;
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: ['vips', i], message: `lists ${p.address} twice` });
      seen.add(k);
    });
  });

/** A vhid list: each vhid once per interface (the path names the duplicate and the first one). */
const vhidList = z.array(vhidSchema, { error: expect('an array of vhid objects') }).superRefine((vhids, ctx) => {
  const seen = new Map<string, number>();
  vhids.forEach((v, i) => {
    const key = vhidKey(v);
    const first = seen.get(key);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'vhid'], message: `vhid ${v.vhid} on ${v.interface} is already configured in vhids[${first}]` });
    else seen.set(key, i);
  });
});

/** The file named by "vhidsFile": {"vhids": [...]}, the shape the config sync "vips" preset carries. */
export const vhidsFileSchema = z
  .object(
    { vhids: vhidList.min(1, { error: 'must configure at least one vhid' }) },
    { error: (iss) => `must be a JSON object {"vhids": [...]}, got ${Array.isArray(iss.input) ? 'an array' : JSON.stringify(iss.input)}` },
  )
  .strict();

export const configSchema = z
  .object(
    {
      node: text('this node\'s name, e.g. "fw1"'),
      controlSocket: text('a Unix socket path').default('/run/carpd.sock'),
      stateDir: text('a directory for maintenance state and the event log').default('/var/lib/carpd'),
      eventLogLines: intIn(100, 10_000_000).default(10_000),
      syslog: z.boolean({ error: expect('true or false') }).default(true),
      trackInterfaces: z.array(ifaceName, { error: expect('an array of interface names') }).default([]),
      hooks: z
        .object({ master: argv.optional(), backup: argv.optional(), init: argv.optional() }, { error: expect('an object with optional "master", "backup" and "init" argv arrays') })
        .strict()
        .default({}),
      vhids: vhidList.default([]),
      /** Read the vhids from this JSON file instead (relative to the config file's folder); `carpctl reload` re-reads it. */
      vhidsFile: text('a JSON file path such as "/etc/carpd/vips.json"').optional(),
      /** conntrackd state sync driven by carpd (daemon/statesync/README.md). */
      stateSync: stateSyncSchema.optional(),
      /** configuration sync between the two nodes (daemon/configsync/README.md). */
      configSync: configSyncSchema.optional(),
      /** The announcement live discovery lists this node by (daemon/beacon/README.md); absent = on, SSH port 22. */
      beacon: beaconSchema.optional(),
    },
    { error: (iss) => `must be a JSON object with "node" and "vhids", got ${Array.isArray(iss.input) ? 'an array' : JSON.stringify(iss.input)}` },
  )
  .strict()
  .superRefine((c, ctx) => {
    if (c.vhidsFile !== undefined && c.vhids.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['vhidsFile'], message: 'cannot be used together with "vhids" (keep the vhids in one place: remove one of the two)' });
    }
    if (c.vhidsFile === undefined && c.vhids.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['vhids'], message: 'must configure at least one vhid (or name a file holding them in "vhidsFile")' });
    }
  });

export type CarpdConfig = z.output<typeof configSchema>;
export type VhidConfig = z.output<typeof vhidSchema>;

/** Identifies a vhid within a node the way FreeBSD prints it: "1@eth0". */
export function vhidKey(v: { vhid: number; interface: string }): string {
  return `${v.vhid}@${v.interface}`;
}
