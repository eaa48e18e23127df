import { z } from 'zod';
import { stateSyncStatusSchema } from '../statesync/status.js';
import { configSyncStatusSchema } from '../configsync/status.js';
import { beaconStatusSchema } from '../beacon/status.js';

/** Requests on the control socket: one JSON object per line. */
export const requestSchema = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('status') }).strict(),
  z.object({ cmd: z.literal('events'), since: z.number().int().min(0).default(0), follow: z.boolean().default(false) }).strict(),
  z.object({ cmd: z.literal('maintenance'), on: z.boolean() }).strict(),
  z.object({ cmd: z.literal('demote'), by: z.number().int().min(-100_000).max(100_000) }).strict(),
  z.object({ cmd: z.literal('demote-reset') }).strict(),
  z.object({ cmd: z.literal('reload') }).strict(),
  z.object({ cmd: z.literal('state-sync-resync') }).strict(),
  z.object({ cmd: z.literal('config-sync-push') }).strict(),
  z.object({ cmd: z.literal('config-sync-diff') }).strict(),
]);

export type ControlRequest = z.input<typeof requestSchema>;
export type ParsedRequest = z.output<typeof requestSchema>;

export const stateSchema = z.enum(['INIT', 'BACKUP', 'MASTER']);

export const vhidStatusSchema = z.object({
  vhid: z.number(),
  interface: z.string(),
  state: stateSchema,
  advbase: z.number(),
  advskew: z.number(),
  advskewSent: z.number(),
  demotion: z.number(),
  demote: z.number(),
  preempt: z.boolean(),
  mode: z.enum(['multicast', 'unicast']),
  vips: z.array(z.string()),
  /** "this node" when master, the address last heard from otherwise, null when nothing was heard. */
  master: z.string().nullable(),
  lastHeardSecondsAgo: z.number().nullable(),
  sent: z.number(),
  received: z.number(),
  rejected: z.record(z.string(), z.number()),
});

export const statusSchema = z.object({
  node: z.string(),
  pid: z.number(),
  maintenance: z.boolean(),
  demotion: z.number(),
  demotionReasons: z.record(z.string(), z.number()),
  unmatched: z.record(z.string(), z.number()),
  vhids: z.array(vhidStatusSchema),
  /** Present when "stateSync" is configured. */
  stateSync: stateSyncStatusSchema.optional(),
  /** Present when "configSync" is configured. */
  configSync: configSyncStatusSchema.optional(),
  /** Present when carpd runs (absent from older carpd versions). */
  beacon: beaconStatusSchema.optional(),
});

export type CarpdStatus = z.infer<typeof statusSchema>;

export const eventSchema = z.object({
  seq: z.number(),
  time: z.string(),
  node: z.string(),
  kind: z.enum(['state', 'demotion', 'state-sync', 'config-sync']),
  vhid: z.number().nullable(),
  interface: z.string().optional(),
  old: z.union([z.string(), z.number()]).optional(),
  new: z.union([z.string(), z.number()]).optional(),
  /** state-sync and config-sync events: what happened (ready, commit, peer-lost, drift, ...). */
  event: z.string().optional(),
  cause: z.string(),
});

export const errorSchema = z.object({ code: z.string(), message: z.string() });

/** Responses: one JSON line; `events --follow` then streams `{"event": ...}` lines. */
export const responseSchema = z.union([
  z.object({ ok: z.literal(true), status: statusSchema }),
  z.object({ ok: z.literal(true), events: z.array(eventSchema) }),
  z.object({ ok: z.literal(true), message: z.string() }),
  z.object({ ok: z.literal(false), error: errorSchema }),
  z.object({ event: eventSchema }),
]);

export type ControlResponse = z.infer<typeof responseSchema>;
