import { z } from 'zod';

/** `status().configSync` on carpd's control socket (mirrors ConfigSyncStatus in service.ts). */
export const configSyncStatusSchema = z.object({
  role: z.enum(['source', 'receiver']),
  fingerprint: z.string(),
  peer: z.object({ address: z.string(), reachable: z.boolean().nullable(), lastContact: z.string().nullable(), error: z.string().nullable() }),
  sections: z.array(
    z.object({
      name: z.string(),
      checksum: z.string().nullable(),
      peerChecksum: z.string().nullable(),
      state: z.enum(['in-sync', 'drifted', 'unknown']),
      lastSync: z.string().nullable(),
      lastSyncAgeSeconds: z.number().nullable(),
    }),
  ),
  lastPush: z.object({ time: z.string(), ok: z.boolean(), error: z.string().nullable(), changed: z.array(z.string()) }).nullable(),
  pending: z.boolean(),
});

export type ConfigSyncStatusWire = z.infer<typeof configSyncStatusSchema>;
