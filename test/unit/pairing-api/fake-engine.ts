// A stand-in pairing engine: canned results, callbacks fired as the real engine would, and gates a test opens
// to let a long step finish.
import type { PairingEngine } from '../../../electron/core/pairing/engine.js';
import type { ClusterPlan, CommissioningReport, DrillResult, PairStep, PreflightCheck, PreflightReport, VerifyResult } from '../../../shared/pairing/schema.js';

export const T = 1_800_000_000_000;

export const PLAN: ClusterPlan = {
  name: 'fw1-fw2',
  vips: [{ role: 'lan', vhid: 1, vips: ['10.0.1.1/24'], interfaces: { primary: 'lan', secondary: 'lan' }, password: 'abcdefghijklmnopqrs', advbase: 1 }],
  advskew: { primary: 0, secondary: 100 },
  sync: { interfaces: { primary: 'sync', secondary: 'sync' }, addresses: { primary: '10.0.3.2', secondary: '10.0.3.3' } },
  stateSync: true,
  configSync: true,
  overrides: [],
};

export const check = (id: string, status: PreflightCheck['status'], node: PreflightCheck['node'] = 'primary'): PreflightCheck => ({
  id,
  node,
  title: id,
  status,
  detail: `${id} is ${status}`,
  fix: status === 'pass' ? '' : `fix ${id}`,
  overridable: false,
});

export const step = (seq: number, phase: PairStep['phase'], message: string, status: PairStep['status'] = 'done', node: PairStep['node'] = null): PairStep => ({
  seq,
  time: T + seq,
  phase,
  node,
  status,
  message,
});

export const PREFLIGHT: PreflightReport = { time: T, nodes: [], checks: [check('packages', 'pass'), check('clock', 'pass', null)], ok: true };
export const VERIFY: VerifyResult = { ok: true, checks: [check('masters', 'pass', null)], masters: [{ vhid: 1, master: 'primary' }] };
export const DRILL: DrillResult = {
  ok: true,
  started: T,
  finished: T + 20_000,
  phases: [{ name: 'maintenance-enter', interruptionMs: 850, probesLost: 3, flowSurvived: true, newMaster: 'secondary' }],
};

export class FakeEngine implements PairingEngine {
  calls: { method: string; args: unknown[] }[] = [];
  /** Makes the next call of that method throw this after its callbacks. */
  failures: Partial<Record<keyof PairingEngine, unknown>> = {};
  /** Holds apply until released. */
  gate: Promise<void> | null = null;

  constructor(readonly sessions: { primary: unknown; secondary: unknown }) {}

  #fail(method: keyof PairingEngine): void {
    const f = this.failures[method];
    if (f !== undefined) throw f;
  }

  async preflight(options: object, onCheck: (c: PreflightCheck) => void) {
    this.calls.push({ method: 'preflight', args: [options] });
    for (const c of PREFLIGHT.checks) onCheck(c);
    this.#fail('preflight');
    return PREFLIGHT;
  }

  async remedy(node: 'primary' | 'secondary', remedy: string, onStep: (s: PairStep) => void) {
    this.calls.push({ method: 'remedy', args: [node, remedy] });
    onStep(step(0, 'preflight', `Installing conntrackd on ${node}`, 'running', node));
    this.#fail('remedy');
    return 'conntrackd installed';
  }

  async plan(edited?: ClusterPlan) {
    this.calls.push({ method: 'plan', args: [edited] });
    this.#fail('plan');
    const plan = edited ?? PLAN;
    return { plan, changes: [{ role: 'primary' as const, files: [{ path: '/etc/carpd.json', before: null, after: '{}', diff: '+{}' }] }], problems: plan.vips[0].vhid === 7 ? ['vhid 7 is used on lan'] : [] };
  }

  async apply(plan: ClusterPlan, onStep: (s: PairStep) => void) {
    this.calls.push({ method: 'apply', args: [plan] });
    onStep(step(0, 'stage', 'Staging carpd on fw1', 'done', 'primary'));
    if (this.gate) await this.gate;
    if (this.failures.apply !== undefined) {
      onStep(step(1, 'rollback', 'Rolling fw1 back to what it was', 'done', 'primary'));
      this.#fail('apply');
    }
    onStep(step(1, 'activate', 'Starting carpd on both nodes', 'done'));
  }

  async verify(onStep: (s: PairStep) => void) {
    this.calls.push({ method: 'verify', args: [] });
    onStep(step(0, 'verify', 'Each VIP is MASTER on one node'));
    this.#fail('verify');
    return VERIFY;
  }

  async drill(options: object, onStep: (s: PairStep) => void) {
    this.calls.push({ method: 'drill', args: [options] });
    onStep(step(0, 'drill', 'Putting fw1 in maintenance'));
    this.#fail('drill');
    return DRILL;
  }

  report(): CommissioningReport {
    this.calls.push({ method: 'report', args: [] });
    this.#fail('report');
    return { format: 'carpdeck-commissioning/1', created: T, carpdeckVersion: '0.0.0', plan: PLAN, preflight: PREFLIGHT, verify: VERIFY, drill: DRILL, steps: [], events: [] };
  }
}
