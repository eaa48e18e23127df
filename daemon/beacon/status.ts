import { z } from 'zod';

/** `status().beacon` on carpd's control socket. */
export const beaconStatusSchema = z.object({
  enabled: z.boolean(),
  group: z.string(),
  port: z.number(),
  intervalSeconds: z.number(),
  sshPort: z.number(),
  managementAddress: z.string().nullable(),
  /** Interfaces a beacon went out on, with the source address used. */
  interfaces: z.array(z.object({ interface: z.string(), address: z.string().nullable() })),
  sent: z.number(),
  lastError: z.string().nullable(),
});

export type BeaconStatus = z.infer<typeof beaconStatusSchema>;

/** The beacon line of `carpctl status`. */
export function formatBeacon(s: BeaconStatus): string {
  if (!s.enabled) return 'beacon: off ("beacon": {"enabled": false}); live discovery shows this node only while it is master';
  const on = s.interfaces.map((i) => `${i.interface}${i.address ? ` from ${i.address}` : ' (no IPv4 address, not sent)'}`).join(', ');
  const mgmt = s.managementAddress ? `, management ${s.managementAddress}` : '';
  return `beacon: on, every ${s.intervalSeconds} s to ${s.group}:${s.port} on ${on || 'no interface'}; SSH port ${s.sshPort}${mgmt}; ${s.sent} sent${s.lastError ? `; last error: ${s.lastError}` : ''}`;
}
