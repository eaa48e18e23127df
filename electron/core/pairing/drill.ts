// The live drill: with the probe running through the VIP, the primary enters maintenance (the VIPs must move to the
// secondary), then leaves it (they come back: preemption), and, when the user allows it, the primary's LAN link is
// cut for a few seconds (carpd demotes, the secondary takes over, the primary takes back after the link returns).
// Each phase: the longest gap in the probe, probes lost, whether the TCP flow survived, who became master.
import type { ClusterPlan, DrillPhase, DrillResult, NodeRole } from '../../../shared/pairing/schema.js';
import { setMaintenance } from '../deploy/control.js';
import { rootSession, type NodeSession, type RootSession } from '../ssh/privilege.js';
import { flowSurvived, longestGap, lostBetween, Probe, type ProbeSpec } from './probe.js';
import { readEvents, type CarpdEvent, type NodeStatus, type StatusSource } from './status.js';
import type { StepListener, StepLog } from './steps.js';

export interface DrillDeps {
  sessions: Record<NodeRole, NodeSession>;
  status: StatusSource;
  probe: ProbeSpec;
  linkLoss: boolean;
  /** How long the link stays cut, seconds (default 6: past CARP's master-down time of about 3.4 s at advbase 1). */
  linkDownSeconds?: number;
  /** Time to let the probe settle after each handover, ms. */
  settleMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The node that alone is MASTER of every VIP in `vips` (default: all the plan's), or null. */
export function masterOfAll(plan: ClusterPlan, status: Record<NodeRole, NodeStatus | undefined>, vips: ClusterPlan['vips'] = plan.vips): NodeRole | null {
  const holds = (role: NodeRole, v: ClusterPlan['vips'][number]) => status[role]?.vhids.some((x) => x.vhid === v.vhid && x.interface === v.interfaces[role] && x.state === 'MASTER') ?? false;
  for (const role of ['primary', 'secondary'] as const) {
    const other = role === 'primary' ? 'secondary' : 'primary';
    if (vips.every((v) => holds(role, v) && !holds(other, v))) return role;
  }
  return null;
}

/** Whether `role` became MASTER of every VIP in `vips` in `events` (its own event log, read after the phase). */
export function becameMaster(role: NodeRole, events: CarpdEvent[], vips: ClusterPlan['vips']): boolean {
  return vips.every((v) => events.some((e) => e.kind === 'state' && e.vhid === v.vhid && e.interface === v.interfaces[role] && e.new === 'MASTER'));
}

// A fixed script: the interface and the seconds travel as arguments; setsid keeps it going if SSH drops with the link.
const CUT_LINK = 'ip link set dev "$1" down; sleep "$2"; ip link set dev "$1" up';

export async function runDrill(plan: ClusterPlan, deps: DrillDeps, log: StepLog, onStep: StepListener): Promise<DrillResult> {
  const started = Date.now();
  const settle = deps.settleMs ?? 2000;
  // maintenance and the link cut run as root: a login that cannot is refused before the probe starts
  const primary = await rootSession(deps.sessions.primary, 'the drill');
  const roots: Record<NodeRole, RootSession> = { primary, secondary: await rootSession(deps.sessions.secondary, 'the drill') };
  const eventsOf = async (role: NodeRole, afterSeq: number): Promise<CarpdEvent[]> => (await readEvents(roots[role])).filter((e) => e.seq > afterSeq);
  const lastSeq = async (role: NodeRole) => (await eventsOf(role, -1)).reduce((m, e) => Math.max(m, e.seq), 0);
  const read = async () => {
    const [p, s] = await Promise.all((['primary', 'secondary'] as const).map((r) => deps.status(deps.sessions[r]).catch(() => undefined)));
    return { primary: p, secondary: s };
  };
  const waitMaster = async (role: NodeRole, timeoutMs: number, vips = plan.vips): Promise<NodeRole | null> => {
    const end = Date.now() + timeoutMs;
    let m: NodeRole | null = null;
    while (Date.now() < end) {
      m = masterOfAll(plan, await read(), vips);
      if (m === role) return m;
      await sleep(100);
    }
    return m;
  };
  const probe = new Probe(deps.probe);
  const phases: DrillPhase[] = [];
  const measure = (name: DrillPhase['name'], from: number, to: number, newMaster: NodeRole | null): DrillPhase => ({
    name,
    interruptionMs: longestGap(probe.record.replies, from, to),
    probesLost: lostBetween(probe.record, from, to),
    flowSurvived: probe.hasFlow && flowSurvived(probe.record, from, to),
    newMaster,
  });
  const say = (p: DrillPhase) =>
    `${p.name}: longest interruption ${p.interruptionMs} ms, ${p.probesLost} probe(s) lost, TCP flow ${p.flowSurvived ? 'survived' : probe.hasFlow ? 'BROKE' : 'not measured'}, VIPs went to the ${p.newMaster ?? 'no single node'}`;
  try {
    await log.run(onStep, 'drill', null, `Starting the probe: ping ${deps.probe.target} every ${deps.probe.intervalMs ?? 20} ms${deps.probe.flow ? ` and a TCP flow to port ${deps.probe.flow.port}` : ''} from ${deps.probe.kind === 'netns' ? `namespace ${deps.probe.namespace}` : 'this computer'}`, () => probe.start());
    const initial = masterOfAll(plan, await read());
    if (initial !== 'primary') throw new Error(`the drill starts from a verified pair, but the ${initial ?? 'no node'} is master of the VIPs: run verify first`);

    // `watched`: the VIPs whose new master the phase reports (a cut link moves its own segment's VIP for sure)
    const phase = async (name: DrillPhase['name'], message: string, act: () => Promise<void>, expect: NodeRole, back?: () => Promise<NodeRole | null>, watched = plan.vips) => {
      await probe.ensureFlow();
      const from = Date.now();
      const mark = await lastSeq(expect);
      const p = await log.run(onStep, 'drill', 'primary', message, async () => {
        await act();
        let newMaster = await waitMaster(expect, 15_000, watched);
        // A cut link hands the VIP over for only a few seconds, which a slow status poll can miss: the node's own
        // event log tells whether it took over meanwhile.
        if (newMaster !== expect && becameMaster(expect, await eventsOf(expect, mark), watched)) newMaster = expect;
        if (back) newMaster = (await back()) === null ? null : newMaster;
        await sleep(settle);
        return measure(name, from, Date.now(), newMaster);
      }, say);
      phases.push(p);
    };
    await phase('maintenance-enter', `Putting ${deps.sessions.primary.label} (primary) into maintenance: the VIPs must move to the secondary`, async () => void (await setMaintenance(primary, true)), 'secondary');
    await phase('maintenance-leave', `Taking ${deps.sessions.primary.label} out of maintenance: the VIPs must come back`, async () => void (await setMaintenance(primary, false)), 'primary');
    if (deps.linkLoss) {
      const lan = plan.vips.find((v) => v.role === 'lan') ?? plan.vips[0];
      const seconds = deps.linkDownSeconds ?? 6;
      await phase(
        'link-loss',
        `Cutting ${deps.sessions.primary.label}'s ${lan.interfaces.primary} link for ${seconds} s: the secondary must take over, the primary take back after`,
        async () => {
          const r = await primary.exec(['setsid', '-f', 'sh', '-c', CUT_LINK, 'carpdeck-drill', lan.interfaces.primary, String(seconds)]);
          if (r.code !== 0) throw new Error(`cannot cut the link on ${deps.sessions.primary.label}: ${(r.stderr || r.stdout).trim()}`);
        },
        'secondary',
        () => waitMaster('primary', (seconds + 20) * 1000),
        [lan],
      );
    }
  } finally {
    probe.stop();
  }
  const expected: Record<DrillPhase['name'], NodeRole> = { 'maintenance-enter': 'secondary', 'maintenance-leave': 'primary', 'link-loss': 'secondary' };
  return { ok: phases.length > 0 && phases.every((p) => p.newMaster === expected[p.name] && p.flowSurvived), started, finished: Date.now(), phases };
}
