// The commissioning report: everything learnt while pairing, with every password replaced by "set (N bytes)".
import type { ClusterPlan, CommissioningReport, DrillResult, PairStep, PreflightReport, VerifyResult } from '../../../shared/pairing/schema.js';
import { redacted } from './secrets.js';

export interface ReportInput {
  created: number;
  carpdeckVersion: string;
  plan: ClusterPlan;
  preflight: PreflightReport;
  verify: VerifyResult | null;
  drill: DrillResult | null;
  steps: PairStep[];
  events: CommissioningReport['events'];
}

export function redactPlan(plan: ClusterPlan): ClusterPlan {
  return { ...plan, vips: plan.vips.map((v) => ({ ...v, password: redacted(v.password) })) };
}

export function buildReport(input: ReportInput): CommissioningReport {
  const secrets = input.plan.vips.map((v) => v.password).filter((p) => p.length >= 4);
  // a password that found its way into a message (an error echoing a config, say) is cut out there too
  const scrub = (s: string) => secrets.reduce((t, p) => t.split(p).join('[password]'), s);
  return {
    format: 'carpdeck-commissioning/1',
    created: input.created,
    carpdeckVersion: input.carpdeckVersion,
    plan: redactPlan(input.plan),
    preflight: input.preflight,
    verify: input.verify,
    drill: input.drill,
    steps: input.steps.map((s) => ({ ...s, message: scrub(s.message) })),
    events: input.events.map((e) => ({ ...e, text: scrub(e.text) })),
  };
}
