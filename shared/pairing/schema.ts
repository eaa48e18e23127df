// The guided pairing's data, shared by the engine (electron/core/pairing), the CLI (`carpdeck pair`), the API
// (shared/api/pairing-contract.ts) and the wizard (renderer/src/pairing). JSON-safe only: times are epoch ms.
import { z } from 'zod';

export const NodeRoleSchema = z.enum(['primary', 'secondary']);
export type NodeRole = z.infer<typeof NodeRoleSchema>;

/** A node as the user names it: `root@10.99.0.2`, an optional key file, an optional port. */
export const PairTargetSchema = z.object({
  target: z.string().min(1).max(300),
  identity: z.string().max(4096).optional(),
});
export type PairTarget = z.infer<typeof PairTargetSchema>;

/** One preflight check on one node (or on the pair: `node` null). `fix` says what to do when it is not `pass`. */
export const PreflightCheckSchema = z.object({
  /** Stable id, e.g. 'packages', 'sync-interface', 'clock', 'vhid-free', 'multicast', 'vip-subnet', 'nat'. */
  id: z.string(),
  node: NodeRoleSchema.nullable(),
  title: z.string(),
  status: z.enum(['pass', 'warn', 'fail', 'skipped']),
  /** Plain words: what was found. */
  detail: z.string(),
  /** What to do about it (empty when it passed). */
  fix: z.string(),
  /** Offered automatic remedy, e.g. installing missing packages. */
  remedy: z.object({ id: z.string(), label: z.string() }).optional(),
  /** Whether a `fail` may be overridden by the user (e.g. a shared LAN used for sync). */
  overridable: z.boolean().default(false),
  /** The VIP segment a per-segment check is about ('lan', 'wan', or the subnet when no role was mapped). */
  segment: z.string().optional(),
  /** Set on an `overridable` failure the user accepted (it no longer makes the report fail). */
  overridden: z.boolean().optional(),
});
export type PreflightCheck = z.infer<typeof PreflightCheckSchema>;

/** A vhid group carpd runs on a node now (its /etc/carpd/vips.json), without the password. */
export const CurrentVhidSchema = z.object({
  vhid: z.number().int().min(1).max(255),
  interface: z.string(),
  advbase: z.number().int().min(1).max(254),
  vips: z.array(z.string()),
});
export type CurrentVhid = z.infer<typeof CurrentVhidSchema>;

export const NodeFactsSchema = z.object({
  role: NodeRoleSchema,
  target: z.string(),
  hostname: z.string(),
  os: z.string(),
  arch: z.string(),
  kernel: z.string(),
  hostKeyFingerprint: z.string(),
  interfaces: z.array(
    z.object({
      name: z.string(),
      mac: z.string().nullable(),
      up: z.boolean(),
      addresses: z.array(z.string()),
    }),
  ),
  /** Interface name per role as preflight mapped it (by subnet shared with the other node). */
  roles: z.object({ lan: z.string().optional(), wan: z.string().optional(), sync: z.string().optional() }),
  /** vhids heard on each VIP segment while listening (CARP vhids and VRRP vrids). */
  vhidsInUse: z.record(z.string(), z.array(z.number())),
  carpdVersion: z.string().nullable(),
  /** The vhid groups carpd is configured with on the node now (a pair paired before); null when it has none. */
  carpd: z.object({ vhids: z.array(CurrentVhidSchema) }).nullable().optional(),
});
export type NodeFacts = z.infer<typeof NodeFactsSchema>;

export const PreflightReportSchema = z.object({
  time: z.number(),
  nodes: z.array(NodeFactsSchema),
  checks: z.array(PreflightCheckSchema),
  /** True when no check failed (warnings allowed, overridden failures allowed). */
  ok: z.boolean(),
});
export type PreflightReport = z.infer<typeof PreflightReportSchema>;

/** One VIP group in the plan; the interface is named per node because names may differ between the nodes. */
export const PlanVipSchema = z.object({
  role: z.enum(['lan', 'wan']),
  vhid: z.number().int().min(1).max(255),
  vips: z.array(z.string()).min(1),
  interfaces: z.object({ primary: z.string(), secondary: z.string() }),
  /** At most 19 bytes (the CARP/ucarp key limit), random by default. */
  password: z.string().min(1).max(19),
  advbase: z.number().int().min(1).max(254),
  /** The pair's current vhid group, unchanged (vhid, password, advbase, addresses): a re-pair leaves it running. */
  kept: z.boolean().optional(),
});
export type PlanVip = z.infer<typeof PlanVipSchema>;

export const ClusterPlanSchema = z.object({
  name: z.string().min(1).max(64),
  vips: z.array(PlanVipSchema).min(1),
  advskew: z.object({ primary: z.number().int().min(0).max(254), secondary: z.number().int().min(0).max(254) }),
  sync: z.object({
    interfaces: z.object({ primary: z.string(), secondary: z.string() }),
    addresses: z.object({ primary: z.string(), secondary: z.string() }),
  }),
  stateSync: z.boolean(),
  configSync: z.boolean(),
  /** Checks the user chose to override (ids of `overridable` failures). */
  overrides: z.array(z.string()).default([]),
});
export type ClusterPlan = z.infer<typeof ClusterPlanSchema>;

/** The files the plan writes on one node, with a diff against what is there now. */
export const NodeChangeSchema = z.object({
  role: NodeRoleSchema,
  files: z.array(z.object({ path: z.string(), before: z.string().nullable(), after: z.string(), diff: z.string() })),
});
export type NodeChange = z.infer<typeof NodeChangeSchema>;

/** A step of apply / verify / drill as shown to the user ("Staging carpd on fw2 ... done"). */
export const PairStepSchema = z.object({
  seq: z.number().int().nonnegative(),
  time: z.number(),
  phase: z.enum(['connect', 'preflight', 'plan', 'stage', 'validate', 'activate', 'rollback', 'verify', 'drill', 'report']),
  node: NodeRoleSchema.nullable(),
  status: z.enum(['running', 'done', 'failed', 'skipped']),
  message: z.string(),
});
export type PairStep = z.infer<typeof PairStepSchema>;

export const VerifyResultSchema = z.object({
  ok: z.boolean(),
  checks: z.array(PreflightCheckSchema),
  /** Per vhid, the node that is MASTER (null when none or both: the check explains). */
  masters: z.array(z.object({ vhid: z.number(), master: NodeRoleSchema.nullable() })),
});
export type VerifyResult = z.infer<typeof VerifyResultSchema>;

export const DrillPhaseSchema = z.object({
  name: z.enum(['maintenance-enter', 'maintenance-leave', 'link-loss']),
  /** Longest gap in the probe through the VIP, milliseconds. */
  interruptionMs: z.number(),
  probesLost: z.number().int(),
  flowSurvived: z.boolean(),
  newMaster: NodeRoleSchema.nullable(),
});
export type DrillPhase = z.infer<typeof DrillPhaseSchema>;

export const DrillResultSchema = z.object({
  ok: z.boolean(),
  started: z.number(),
  finished: z.number(),
  phases: z.array(DrillPhaseSchema),
});
export type DrillResult = z.infer<typeof DrillResultSchema>;

export const CommissioningReportSchema = z.object({
  format: z.literal('carpdeck-commissioning/1'),
  created: z.number(),
  carpdeckVersion: z.string(),
  plan: ClusterPlanSchema,
  preflight: PreflightReportSchema,
  verify: VerifyResultSchema.nullable(),
  drill: DrillResultSchema.nullable(),
  steps: z.array(PairStepSchema),
  /** carpd events merged from both nodes during apply, verify and drill. */
  events: z.array(z.object({ time: z.number(), node: NodeRoleSchema, text: z.string() })),
});
export type CommissioningReport = z.infer<typeof CommissioningReportSchema>;
