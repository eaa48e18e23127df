// A stand-in backend for the wizard: cluster nodes and connect prompts the test pushes, pairing procedures
// answering canned updates (or a channel the test feeds), and every call recorded.
import { act } from '@testing-library/react';
import type { ClusterNode, ConnectInput, ConnectUpdate } from '../../../shared/api/cluster-contract.js';
import type { ClusterPlan, CommissioningReport, DrillResult, NodeChange, PairStep, PreflightCheck, PreflightReport, VerifyResult } from '../../../shared/pairing/schema.js';
import type { ProgressUpdate } from '../../../renderer/src/pairing/progress.js';
import type { PairingApi, PairingSource } from '../../../renderer/src/pairing/source.js';

export const T = 1_800_000_000_000;

/** An async stream the test feeds one update at a time. */
export class Channel<U> implements AsyncIterable<U> {
  private queue: U[] = [];
  private wake: (() => void) | null = null;
  private ended = false;

  async push(...updates: U[]) {
    await act(async () => {
      this.queue.push(...updates);
      this.wake?.();
      await new Promise((r) => setTimeout(r, 0));
    });
  }

  async end() {
    await act(async () => {
      this.ended = true;
      this.wake?.();
      await new Promise((r) => setTimeout(r, 0));
    });
  }

  async *[Symbol.asyncIterator]() {
    for (;;) {
      const u = this.queue.shift();
      if (u !== undefined) yield u;
      else if (this.ended) return;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }
}

export function node(id: string, state: ClusterNode['connection']['state'] = 'ready'): ClusterNode {
  return { id, fingerprint: 'SHA256:x', connection: { state }, credentialSaved: false, carpd: null, updated: T };
}

export const check = (id: string, status: PreflightCheck['status'], node: PreflightCheck['node'], over: Partial<PreflightCheck> = {}): PreflightCheck => ({
  id,
  node,
  title: over.title ?? id,
  status,
  detail: `${id}: ${status}`,
  fix: status === 'pass' ? '' : `Fix for ${id}`,
  overridable: false,
  ...over,
});

export const step = (seq: number, phase: PairStep['phase'], message: string, status: PairStep['status'] = 'done', role: PairStep['node'] = null): PairStep => ({ seq, time: T + seq, phase, node: role, status, message });

export const PLAN: ClusterPlan = {
  name: 'office',
  vips: [{ role: 'lan', vhid: 11, vips: ['10.0.1.1/24'], interfaces: { primary: 'lan', secondary: 'eth1' }, password: 'Secret0123456789abc', advbase: 1 }],
  advskew: { primary: 0, secondary: 100 },
  sync: { interfaces: { primary: 'sync', secondary: 'sync' }, addresses: { primary: '10.0.3.2', secondary: '10.0.3.3' } },
  stateSync: true,
  configSync: true,
  overrides: [],
};

export const CHANGES: NodeChange[] = [
  { role: 'primary', files: [{ path: '/etc/carpd/carpd.json', before: null, after: '{}', diff: '+{"vhid": 11, "password": "Secret0123456789abc"}' }] },
  { role: 'secondary', files: [{ path: '/etc/carpd/carpd.json', before: '{"old": true}', after: '{}', diff: '-{"old": true}\n+{"vhid": 11}' }] },
];

export const PREFLIGHT_OK: PreflightReport = {
  time: T,
  nodes: [],
  checks: [check('os', 'pass', 'primary', { title: 'Operating system' }), check('packages', 'pass', 'secondary', { title: 'Required packages' }), check('clock', 'pass', null, { title: 'Clocks agree' })],
  ok: true,
};

export const VERIFY_OK: VerifyResult = { ok: true, checks: [check('demotion', 'pass', null, { title: 'Demotion is 0 on both' })], masters: [{ vhid: 11, master: 'primary' }] };

export const DRILL_OK: DrillResult = {
  ok: true,
  started: T,
  finished: T + 24_000,
  phases: [
    { name: 'maintenance-enter', interruptionMs: 620, probesLost: 6, flowSurvived: true, newMaster: 'secondary' },
    { name: 'maintenance-leave', interruptionMs: 410, probesLost: 4, flowSurvived: true, newMaster: 'primary' },
  ],
};

export const REPORT: CommissioningReport = {
  format: 'carpdeck-commissioning/1',
  created: T,
  carpdeckVersion: '0.1.0',
  plan: PLAN,
  preflight: PREFLIGHT_OK,
  verify: VERIFY_OK,
  drill: DRILL_OK,
  steps: [],
  events: [],
};

type Script<R> = (input: Record<string, unknown>) => ProgressUpdate<R>[] | Channel<ProgressUpdate<R>>;

const finish = <R,>(steps: ProgressUpdate<R>[], result: R): ProgressUpdate<R>[] => [...steps, { kind: 'done', result }];

export class FakePairingSource implements PairingSource {
  calls: { method: string; input: Record<string, unknown> }[] = [];
  answers: { id: string; accept?: boolean; answers?: string[] }[] = [];
  nodeList = new Channel<{ nodes: ClusterNode[] }>();
  connects: { input: ConnectInput; updates: Channel<ConnectUpdate> }[] = [];
  startError: Error | null = null;

  preflight: Script<PreflightReport> = () => finish(PREFLIGHT_OK.checks.map((c) => ({ kind: 'check' as const, check: c })), PREFLIGHT_OK);
  remedy: Script<{ message: string }> = (i) => finish([{ kind: 'step', step: step(0, 'preflight', `Installing packages on the ${String(i.node)}`, 'done', i.node as 'primary') }], { message: 'Installed conntrackd.' });
  apply: Script<{ applied: boolean }> = () => finish([{ kind: 'step', step: step(0, 'stage', 'Staging carpd on both firewalls') }, { kind: 'step', step: step(1, 'activate', 'Starting carpd on both firewalls') }], { applied: true });
  verify: Script<VerifyResult> = () => finish([{ kind: 'step', step: step(0, 'verify', 'Each VIP has one master') }], VERIFY_OK);
  drill: Script<DrillResult> = () => finish([{ kind: 'step', step: step(0, 'drill', 'Primary enters maintenance') }], DRILL_OK);
  plan: (input: { plan?: ClusterPlan }) => { plan: ClusterPlan; changes: NodeChange[]; problems: string[] } = (i) => ({ plan: i.plan ?? PLAN, changes: CHANGES, problems: [] });
  html = '<!doctype html><title>Commissioning report</title>';

  async nodes() {
    return this.nodeList;
  }

  async connect(input: ConnectInput) {
    const updates = new Channel<ConnectUpdate>();
    this.connects.push({ input, updates });
    return updates;
  }

  async answer(input: { id: string; accept?: boolean; answers?: string[] }) {
    this.answers.push(input);
    return { ok: true };
  }

  async pairing(): Promise<PairingApi> {
    const record = (method: string, input: object) => this.calls.push({ method, input: input as Record<string, unknown> });
    const streamOf = async <R,>(method: string, script: Script<R>, input: object) => {
      record(method, input);
      const out = script(input as Record<string, unknown>);
      if (out instanceof Channel) return out;
      return (async function* () {
        for (const u of out) yield u;
      })();
    };
    const api = {
      start: async (input: { primary: string; secondary: string }) => {
        record('start', input);
        if (this.startError) throw this.startError;
        return { pairing: 'p-1' };
      },
      preflight: (input: object) => streamOf('preflight', this.preflight, input),
      remedy: (input: object) => streamOf('remedy', this.remedy, input),
      apply: (input: object) => streamOf('apply', this.apply, input),
      verify: (input: object) => streamOf('verify', this.verify, input),
      drill: (input: object) => streamOf('drill', this.drill, input),
      plan: async (input: { plan?: ClusterPlan }) => {
        record('plan', input);
        return this.plan(input);
      },
      report: async (input: object) => {
        record('report', input);
        return { report: REPORT, html: this.html };
      },
    };
    // Like oRPC's client, the namespace is itself callable (a proxy over a function): React must not take it for an updater.
    const namespace = Object.assign(() => Promise.reject(new Error('pairing is a namespace, not a procedure')), api);
    return namespace as unknown as PairingApi;
  }

  methods(): string[] {
    return this.calls.map((c) => c.method);
  }
}
