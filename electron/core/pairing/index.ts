// The pairing engine (engine.ts): preflight, plan, two-phase apply, verify, drill and the commissioning report for
// one primary and one secondary reached over SSH. The CLI (`carpdeck pair`) and the API both drive it.
import packageJson from '../../../package.json';
import type { ClusterPlan, NodeChange, NodeRole, PreflightCheck, PreflightReport, VerifyResult, DrillResult, CommissioningReport } from '../../../shared/pairing/schema.js';
import { ClusterPlanSchema } from '../../../shared/pairing/schema.js';
import { localBundle, type Bundle } from '../deploy/artifacts.js';
import { rootSession } from '../ssh/privilege.js';
import type { SshSession } from '../ssh/session.js';
import { addressAnswers } from './address-probe.js';
import { readCurrentCarpd } from './preflight/facts.js';
import { runPreflight, runRemedy } from './preflight/index.js';
import { applyTwoPhase, type NodeOps } from './apply.js';
import { unifiedDiff } from './diff.js';
import { runDrill } from './drill.js';
import type { DrillOptions, PairingEngine, PreflightRunOptions } from './engine.js';
import { makeIdentity, readIdentity } from './identity.js';
import { labProbe } from './lab-probe.js';
import { nodeFiles, VIPS_FILE, type NodeFile, type SyncIdentity } from './node-files.js';
import { sshNodeOps } from './node-ops.js';
import { factsOf, planProblems, proposePlan } from './plan.js';
import { buildReport } from './report.js';
import type { ProbeSpec } from './probe.js';
import { readEvents, sshStatus, type NodeStatus, type StatusSource } from './status.js';
import { errorText, StepLog } from './steps.js';
import { waitVerified } from './verify.js';

export type { ProbeSpec } from './probe.js';
export type { PairingEngine } from './engine.js';

export interface PairSessions {
  primary: SshSession;
  secondary: SshSession;
}

/** The preflight's entry (electron/core/pairing/preflight). */
export type PreflightRunner = (
  sessions: PairSessions,
  options: PreflightRunOptions & { clockToleranceMs?: number },
  progress?: (check: PreflightCheck) => void,
) => Promise<PreflightReport>;
export type RemedyRunner = (session: SshSession, remedyId: string) => Promise<{ ok: boolean; message: string }>;

export interface PairingEngineOptions {
  runPreflight?: PreflightRunner;
  runRemedy?: RemedyRunner;
  /** The carpd bundle to install (default: this installation's, electron/core/deploy/artifacts.ts). */
  bundle?: () => Promise<Bundle>;
  /** Where the drill's probe runs from (also settable per drill); default: the lab's client, when the nodes are a lab's. */
  probe?: ProbeSpec;
  /** How long verify waits for the pair to settle, ms (default 60 s: the state sync startup resync). */
  verifyTimeoutMs?: number;
  /** Makes a config sync identity for a node that has none to keep (default: openssl on this computer). */
  identity?: (node: string) => Promise<SyncIdentity>;
  status?: StatusSource;
  /** Builds the apply steps of one node (default: over its SSH session). */
  nodeOps?: (role: NodeRole, session: SshSession, files: NodeFile[], vips: { interface: string; vip: string }[], bundle: () => Promise<Bundle>) => NodeOps;
}

/** A pairing failure with a code, a message saying what to do, and where. */
export class PairingError extends Error {
  constructor(
    readonly code: 'no-preflight' | 'plan-invalid' | 'not-applied' | 'no-probe' | 'remedy-failed',
    message: string,
    readonly where = 'pairing',
  ) {
    super(message);
    this.name = 'PairingError';
  }
}

const ROLES: NodeRole[] = ['primary', 'secondary'];

export function createPairingEngine(sessions: PairSessions, options: PairingEngineOptions = {}): PairingEngine & {
  /** The plan last applied (with its passwords), for the CLI to save. */
  readonly applied: ClusterPlan | undefined;
  readonly steps: StepLog;
} {
  const log = new StepLog();
  const status = options.status ?? sshStatus;
  let preflight: PreflightReport | undefined;
  let applied: ClusterPlan | undefined;
  /** The plan of the last apply, also when it failed and was rolled back (the report tells that story too). */
  let attempted: ClusterPlan | undefined;
  let verified: VerifyResult | null = null;
  let drilled: DrillResult | null = null;
  const events = new Map<string, CommissioningReport['events'][number]>();
  const identities: Partial<Record<NodeRole, SyncIdentity>> = {};
  let bundlePromise: Promise<Bundle> | undefined;
  const bundle = () => (bundlePromise ??= (options.bundle ?? (() => localBundle()))());
  let bundleVersion: string | undefined;

  /** The node's session as root (carpd's files and socket are root's); a login that cannot is refused. */
  const root = (role: NodeRole, what: string) => rootSession(sessions[role], what);

  const needPreflight = (): PreflightReport => {
    if (!preflight) throw new PairingError('no-preflight', 'run the preflight first: the plan is made from what it finds on both nodes');
    return preflight;
  };

  /** Each node keeps the config sync identity it has (a pair paired again: its peer's pin stays valid); a node
   * without one (or with an expired or broken one) gets a new one. */
  const ensureIdentities = async (report: PreflightReport) => {
    for (const role of ROLES) {
      identities[role] ??= (await readIdentity(await root(role, 'reading the config sync certificate'))) ?? (await (options.identity ?? makeIdentity)(factsOf(report, role).hostname));
    }
  };

  const filesFor = (plan: ClusterPlan, report: PreflightReport, role: NodeRole) => nodeFiles(plan, role, factsOf(report, role), plan.configSync ? identities : {});

  const changesOf = async (plan: ClusterPlan, report: PreflightReport): Promise<NodeChange[]> =>
    Promise.all(
      ROLES.map(async (role) => ({
        role,
        files: await Promise.all(
          filesFor(plan, report, role).map(async (f) => {
            const now = await (await root(role, 'reading what is on the node')).exec(['cat', '--', f.path]);
            // a private key is never shown: only whether the node keeps its own
            const before = now.code !== 0 ? null : !f.secret ? now.stdout : now.stdout === f.content ? f.secret : '(a private key is there now)\n';
            const after = f.secret ?? f.content;
            return { path: f.path, before, after, diff: unifiedDiff(f.path, before, after) };
          }),
        ),
      })),
    );

  const collectEvents = async () => {
    for (const role of ROLES) {
      const logged = await root(role, 'reading carpd events')
        .then(readEvents)
        .catch(() => []);
      for (const e of logged) {
        const text = `${e.kind}${e.vhid !== null ? ` vhid ${e.vhid}` : ''}${e.event ? ` ${e.event}` : ''}${e.old !== undefined ? ` ${String(e.old)} -> ${String(e.new)}` : ''}: ${e.cause}`;
        events.set(`${role}:${e.seq}`, { time: Date.parse(e.time), node: role, text });
      }
    }
  };

  /** The VIPs carpd is configured with on either node now (a pair being paired again): theirs to keep. */
  const currentVips = async (): Promise<Set<string>> => {
    const out = new Set<string>();
    for (const role of ROLES) {
      const r = await (await root(role, 'reading the VIPs carpd has')).exec(['cat', '--', VIPS_FILE]);
      try {
        for (const v of (JSON.parse(r.stdout) as { vhids?: { vips?: string[] }[] }).vhids ?? []) for (const vip of v.vips ?? []) out.add(vip.split('/')[0]);
      } catch {
        // no carpd VIP list there
      }
    }
    return out;
  };

  /** The vhid groups carpd runs on the node now, with their passwords: a pair paired again keeps them. */
  const currentGroups = async (role: NodeRole) => readCurrentCarpd(await root(role, 'reading the vhid groups carpd runs'));

  const readStatus = async (): Promise<Record<NodeRole, NodeStatus | Error>> => {
    const [p, s] = await Promise.all(ROLES.map((r) => status(sessions[r]).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
    return { primary: p, secondary: s };
  };

  return {
    get applied() {
      return applied;
    },
    steps: log,

    async preflight(opts, onCheck) {
      preflight = await (options.runPreflight ?? runPreflight)(sessions, opts, onCheck);
      return preflight;
    },

    async remedy(node, remedy, onStep) {
      return log.run(onStep, 'preflight', node, `Fixing "${remedy}" on ${sessions[node].label}`, async () => {
        const out = await (options.runRemedy ?? runRemedy)(sessions[node], remedy);
        if (!out.ok) throw new PairingError('remedy-failed', out.message, sessions[node].label);
        return out.message;
      }, (m) => m);
    },

    async plan(edited) {
      const report = needPreflight();
      let plan: ClusterPlan;
      let problems: string[];
      if (edited) {
        const parsed = ClusterPlanSchema.safeParse(edited);
        if (!parsed.success) return { plan: edited, changes: [], problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'plan'}: ${i.message}`) };
        plan = parsed.data;
        problems = planProblems(plan, report);
      } else {
        const ours = await currentVips();
        ({ plan, problems } = await proposePlan(report, {
          current: { primary: await currentGroups('primary'), secondary: await currentGroups('secondary') },
          addressInUse: async (role, address) => {
            if (ours.has(address)) return false;
            const ifname = factsOf(report, 'primary').roles[role];
            return ifname ? addressAnswers(sessions.primary, ifname, address) : false;
          },
        }));
      }
      if (plan.configSync) await ensureIdentities(report);
      return { plan, changes: plan.vips.length > 0 ? await changesOf(plan, report) : [], problems };
    },

    async apply(plan, onStep) {
      const report = needPreflight();
      const parsed = ClusterPlanSchema.safeParse(plan);
      const problems = parsed.success ? planProblems(parsed.data, report) : parsed.error.issues.map((i) => `${i.path.join('.') || 'plan'}: ${i.message}`);
      if (problems.length > 0) {
        await log.emit(onStep, 'plan', null, 'failed', `The plan cannot be applied: ${problems.join('; ')}`);
        throw new PairingError('plan-invalid', `the plan cannot be applied: ${problems.join('; ')}`, 'plan');
      }
      const good = parsed.data!;
      for (const role of ROLES) {
        // both logins must run commands as root before either node is touched
        await root(role, 'applying the plan').catch(async (e: unknown) => {
          await log.emit(onStep, 'plan', role, 'failed', errorText(e));
          throw e;
        });
      }
      if (good.configSync) await ensureIdentities(report);
      const ops = Object.fromEntries(
        ROLES.map((role) => {
          const files = filesFor(good, report, role);
          const vips = good.vips.flatMap((v) => v.vips.map((vip) => ({ interface: v.interfaces[role], vip })));
          return [role, (options.nodeOps ?? ((r, s, f, v, b) => sshNodeOps(s, r, b, f, v)))(role, sessions[role], files, vips, bundle)];
        }),
      ) as Record<NodeRole, NodeOps>;
      attempted = good;
      applied = undefined;
      verified = null;
      drilled = null;
      await applyTwoPhase(ops, log, onStep);
      applied = good;
      bundleVersion = (await bundle()).version;
      verified = null;
      drilled = null;
      await collectEvents();
    },

    async verify(onStep) {
      const plan = applied;
      if (!plan) throw new PairingError('not-applied', 'apply a plan first: verify checks the pair it made');
      verified = await log.run(onStep, 'verify', null, 'Checking the pair: one master per VIP, demotion 0, config and state sync', () => waitVerified(plan, readStatus, options.verifyTimeoutMs ?? 60_000), (r) =>
        r.ok ? `The pair is verified: ${r.masters.map((m) => `vhid ${m.vhid} master on the ${m.master}`).join(', ')}` : `Verify found problems: ${r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.title}${c.node ? ` (${c.node})` : ''}: ${c.detail}`).join('; ')}`,
      );
      for (const c of verified.checks) await log.emit(onStep, 'verify', c.node, c.status === 'pass' ? 'done' : 'failed', `${c.title}: ${c.detail}`);
      await collectEvents();
      return verified;
    },

    async drill(opts: DrillOptions, onStep) {
      const plan = applied;
      if (!plan) throw new PairingError('not-applied', 'apply a plan first: the drill exercises the pair it made');
      const probe = opts.probe ?? options.probe ?? labProbe({ primary: sessions.primary.target.host, secondary: sessions.secondary.target.host });
      if (!probe) throw new PairingError('no-probe', 'the drill needs a probe host on the LAN: give a target behind the firewall to ping (and a TCP echo port for the flow)', 'drill');
      try {
        drilled = await runDrill(plan, { sessions, status: (s) => status(s), probe, linkLoss: opts.linkLoss ?? false }, log, onStep);
      } catch (e) {
        await log.emit(onStep, 'drill', null, 'failed', `The drill stopped: ${errorText(e)}`);
        throw e;
      } finally {
        await collectEvents();
      }
      return drilled;
    },

    report() {
      const report = needPreflight();
      const plan = applied ?? attempted;
      if (!plan) throw new PairingError('not-applied', 'there is nothing to report yet: apply a plan first');
      return buildReport({
        created: Date.now(),
        carpdeckVersion: bundleVersion ?? packageJson.version,
        plan,
        preflight: report,
        verify: verified,
        drill: drilled,
        steps: log.steps,
        events: [...events.values()].sort((a, b) => a.time - b.time),
      });
    },
  };
}
