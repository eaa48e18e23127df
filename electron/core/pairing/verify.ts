// Verify: what both nodes report, judged against the plan. Each VIP MASTER on exactly one node (the primary, unless
// it is in maintenance), demotion 0 on both, the config sync source sees every section in sync, the state sync
// ready with its peer heard on both nodes. `waitVerified` re-reads until all pass or the time is up (a fresh pair
// spends a few seconds in its state sync startup resync).
import type { ClusterPlan, NodeRole, PreflightCheck, VerifyResult } from '../../../shared/pairing/schema.js';
import type { NodeStatus } from './status.js';

const ROLES: NodeRole[] = ['primary', 'secondary'];

const check = (id: string, node: NodeRole | null, title: string, ok: boolean, detail: string, fix: string): PreflightCheck => ({
  id,
  node,
  title,
  status: ok ? 'pass' : 'fail',
  detail,
  fix: ok ? '' : fix,
  overridable: false,
});

export function judge(plan: ClusterPlan, status: Record<NodeRole, NodeStatus | Error>): VerifyResult {
  const checks: PreflightCheck[] = [];
  const masters: VerifyResult['masters'] = [];
  for (const role of ROLES) {
    const s = status[role];
    if (s instanceof Error) checks.push(check('carpd-running', role, 'carpd answers', false, s.message, 'look at /var/log/carpd.log on the node (or journalctl -u carpd)'));
  }
  const ok = (role: NodeRole): NodeStatus | undefined => (status[role] instanceof Error ? undefined : (status[role] as NodeStatus));
  for (const v of plan.vips) {
    const holders = ROLES.filter((r) => ok(r)?.vhids.find((x) => x.vhid === v.vhid && x.interface === v.interfaces[r])?.state === 'MASTER');
    const missing = ROLES.filter((r) => ok(r) && !ok(r)!.vhids.some((x) => x.vhid === v.vhid && x.interface === v.interfaces[r]));
    masters.push({ vhid: v.vhid, master: holders.length === 1 ? holders[0] : null });
    const detail =
      missing.length > 0
        ? `vhid ${v.vhid} is not configured on the ${missing.join(' and ')}`
        : holders.length === 1
          ? `vhid ${v.vhid} (${v.vips.join(', ')}) is MASTER on the ${holders[0]} only`
          : holders.length === 0
            ? `no node is MASTER of vhid ${v.vhid}`
            : `both nodes claim MASTER of vhid ${v.vhid} (split brain: advertisements do not pass between them)`;
    checks.push(check(`vip-master-${v.vhid}`, null, `${v.role.toUpperCase()} VIP ${v.vips[0]} has one master`, holders.length === 1 && missing.length === 0, detail, 'check that CARP advertisements (IP protocol 112 to 224.0.0.18) pass between the nodes on this segment, and that both nodes use the same vhid and password'));
  }
  for (const role of ROLES) {
    const s = ok(role);
    if (!s) continue;
    const reasons = Object.entries(s.demotionReasons).filter(([, n]) => n !== 0).map(([k, n]) => `${k} ${n}`).join(', ');
    checks.push(check('demotion', role, 'Demotion is 0', s.demotion === 0, s.demotion === 0 ? 'demotion 0' : `demotion ${s.demotion}${reasons ? ` (${reasons})` : ''}`, 'the reasons name the cause (a link down, the state sync still resyncing); fix it, then carpctl demote-reset'));
    if (plan.stateSync) {
      const ss = s.stateSync;
      const good = !!ss && ss.ready && ss.peerReachable && ss.conntrackd.running;
      checks.push(check('state-sync', role, 'State sync alive', good, ss ? `conntrackd ${ss.conntrackd.running ? 'running' : 'NOT running'}, peer ${ss.peerReachable ? 'heard' : 'NOT heard'}, ${ss.ready ? 'ready' : `not ready (${ss.readyReason})`}` : 'carpd reports no state sync', 'check the sync link between the nodes (UDP 3780) and that conntrackd is installed'));
    }
  }
  if (plan.configSync) {
    const cs = ok('primary')?.configSync;
    const synced = !!cs && cs.sections.length > 0 && cs.sections.every((x) => x.state === 'in-sync');
    checks.push(
      check(
        'config-sync',
        'primary',
        'Configuration in sync',
        synced && cs?.peer.reachable === true,
        cs ? `peer ${cs.peer.reachable ? 'reachable' : `NOT reachable${cs.peer.error ? ` (${cs.peer.error})` : ''}`}; ${cs.sections.map((x) => `${x.name} ${x.state}`).join(', ')}` : 'carpd reports no config sync',
        'check the sync link (TCP 8443) and that each node pins the other one\'s certificate fingerprint',
      ),
    );
  }
  return { ok: checks.every((c) => c.status === 'pass'), checks, masters };
}

export async function waitVerified(plan: ClusterPlan, read: () => Promise<Record<NodeRole, NodeStatus | Error>>, timeoutMs: number, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<VerifyResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = judge(plan, await read());
    if (result.ok || Date.now() >= deadline) return result;
    await sleep(500);
  }
}
