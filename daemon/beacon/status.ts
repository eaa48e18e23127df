import { z } from 'zod';

/** `status().beacon` on carpd's control socket. */
export const beaconStatusSchema = z.object({
  enabled: z.boolean(),
  group: z.string(),
  /** The IPv6 group, null when IPv6 beacons are off (absent from carpd versions before IPv6 beacons). */
  group6: z.string().nullable().optional(),
  port: z.number(),
  intervalSeconds: z.number(),
  sshPort: z.number(),
  managementAddress: z.string().nullable(),
  /** Interfaces a beacon went out on, with the source addresses used (IPv4, IPv6 link-local). */
  interfaces: z.array(z.object({ interface: z.string(), address: z.string().nullable(), address6: z.string().nullable().optional() })),
  sent: z.number(),
  lastError: z.string().nullable(),
});

export type BeaconStatus = z.infer<typeof beaconStatusSchema>;

/** The beacon line of `carpctl status`. */
export function formatBeacon(s: BeaconStatus): string {
  if (!s.enabled) return 'beacon: off ("beacon": {"enabled": false}); live discovery shows this node only while it is master';
  const from = (i: BeaconStatus['interfaces'][number]) => {
    const sources = [i.address, i.address6].filter((a): a is string => !!a);
    if (sources.length > 0) return ` from ${sources.join(' and ')}`;
    return s.group6 ? ' (no IPv4 or IPv6 link-local address, not sent)' : ' (no IPv4 address, not sent)';
  };
  const on = s.interfaces.map((i) => `${i.interface}${from(i)}`).join(', ');
  const mgmt = s.managementAddress ? `, management ${s.managementAddress}` : '';
  const groups = `${s.group}:${s.port}${s.group6 ? ` and [${s.group6}]:${s.port}` : ''}`;
  return `beacon: on, every ${s.intervalSeconds} s to ${groups} on ${on || 'no interface'}; SSH port ${s.sshPort}${mgmt}; ${s.sent} sent${s.lastError ? `; last error: ${s.lastError}` : ''}`;
}
