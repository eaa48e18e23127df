// The pairing engine's surface, used by `carpdeck pair` and by the API (electron/core/api/pairing-router.ts).
// One engine pairs one primary with one secondary over their SSH sessions and remembers what it learnt
// (preflight, plan, steps, drill) for the commissioning report.
import type { ProbeSpec } from './probe.js';
import type {
  ClusterPlan,
  CommissioningReport,
  DrillResult,
  NodeChange,
  NodeRole,
  PairStep,
  PreflightCheck,
  PreflightReport,
  VerifyResult,
} from '../../../shared/pairing/schema.js';

export interface PreflightRunOptions {
  listenSeconds?: number;
  vipSubnets?: string[];
  overrides?: string[];
}

export interface DrillOptions {
  /** Also cut the primary's LAN link for a moment (only when the user allows it). */
  linkLoss?: boolean;
  /** Where the probe runs from and what it aims at (default: the engine's option). */
  probe?: ProbeSpec;
}

export interface PairingEngine {
  preflight(options: PreflightRunOptions, onCheck: (check: PreflightCheck) => void): Promise<PreflightReport>;
  remedy(node: NodeRole, remedy: string, onStep: (step: PairStep) => void): Promise<string>;
  /** Proposes a plan from the last preflight (or validates `edited`), with each node's file diffs. */
  plan(edited?: ClusterPlan): Promise<{ plan: ClusterPlan; changes: NodeChange[]; problems: string[] }>;
  /** Both nodes staged and validated before either starts; a failure on either rolls both back, then throws. */
  apply(plan: ClusterPlan, onStep: (step: PairStep) => void): Promise<void>;
  verify(onStep: (step: PairStep) => void): Promise<VerifyResult>;
  drill(options: DrillOptions, onStep: (step: PairStep) => void): Promise<DrillResult>;
  report(): CommissioningReport;
}
