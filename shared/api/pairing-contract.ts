// The pairing wizard's procedures. The two nodes are connected first with `cluster.connect` (host keys and
// passwords are answered there); the wizard then names them by their cluster node ids. Data shapes live in
// shared/pairing/schema.ts, shared with `carpdeck pair`.
import { eventIterator, oc } from '@orpc/contract';
import { z } from 'zod';
import {
  ClusterPlanSchema,
  CommissioningReportSchema,
  DrillResultSchema,
  NodeChangeSchema,
  NodeRoleSchema,
  PairStepSchema,
  PreflightCheckSchema,
  PreflightReportSchema,
  VerifyResultSchema,
} from '../pairing/schema.js';

const ErrorSchema = z.object({ code: z.string(), message: z.string(), fix: z.string().optional() });

/** A stream of steps/checks ending with one `done` (its result) or `failed` update. */
const progress = <T extends z.ZodTypeAny>(result: T) =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('step'), step: PairStepSchema }),
    z.object({ kind: z.literal('check'), check: PreflightCheckSchema }),
    z.object({ kind: z.literal('done'), result }),
    z.object({ kind: z.literal('failed'), error: ErrorSchema }),
  ]);

const pairing = z.object({ pairing: z.string() });

export const pairingContract = {
  /** Starts a pairing of two connected cluster nodes; returns its id. */
  start: oc.input(z.object({ primary: z.string(), secondary: z.string() })).output(pairing),
  preflight: oc
    .input(
      pairing.extend({
        listenSeconds: z.number().min(1).max(30).optional(),
        vipSubnets: z.array(z.string().max(64)).max(16).optional(),
        overrides: z.array(z.string().max(64)).max(32).optional(),
      }),
    )
    .output(eventIterator(progress(PreflightReportSchema))),
  /** Applies an offered remedy (e.g. installing missing packages) on one node. */
  remedy: oc.input(pairing.extend({ node: NodeRoleSchema, remedy: z.string() })).output(eventIterator(progress(z.object({ message: z.string() })))),
  /** Proposes a plan from the last preflight, or checks an edited one; shows what each node's files become. */
  plan: oc
    .input(pairing.extend({ plan: ClusterPlanSchema.optional() }))
    .output(z.object({ plan: ClusterPlanSchema, changes: z.array(NodeChangeSchema), problems: z.array(z.string()) })),
  /** Two-phase apply: both nodes staged and validated before either starts; any failure rolls both back. */
  apply: oc.input(pairing.extend({ plan: ClusterPlanSchema })).output(eventIterator(progress(z.object({ applied: z.boolean() })))),
  verify: oc.input(pairing).output(eventIterator(progress(VerifyResultSchema))),
  drill: oc
    .input(
      pairing.extend({
        linkLoss: z.boolean().optional(),
        /**
         * What the drill pings through the VIP (a host behind the firewall), an optional TCP echo port there for the
         * long flow, and optionally the network namespace on the backend's machine the probe runs from (a lab).
         */
        probe: z
          .object({
            target: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.:-]{0,253}$/, 'an IP address or host name'),
            flowPort: z.number().int().min(1).max(65535).optional(),
            namespace: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a network namespace name').optional(),
          })
          .optional(),
      }),
    )
    .output(eventIterator(progress(DrillResultSchema))),
  report: oc.input(pairing).output(z.object({ report: CommissioningReportSchema, html: z.string() })),
};
