// The control panel's actions. Each streams its steps and ends with the result as the nodes then report it (not
// what was asked for): maintenance-on is done when another node reports MASTER of the vhids, restart when carpd
// answers with a new pid, resync when the bulk sync time moves, push when the peer reports the sections in sync.
import type { ClusterAction, Progress } from '../../../shared/api/cluster-contract.js';
import type { CarpdStatus } from '../../../daemon/control/protocol.js';
import { installedFacts, setMaintenance } from '../deploy/control.js';
import { DeployError } from '../deploy/errors.js';
import { carpctlArgv } from '../deploy/layout.js';
import { detectServiceManager, restartService } from '../deploy/service.js';
import { rootSession, type NodeSession } from '../ssh/privilege.js';
import { errorValue, type ClusterMember } from './member.js';
import { better } from './why.js';

export interface ActionContext {
  /** The member with this id; throws a clear error when there is none. */
  member(id: string): ClusterMember;
  members(): ClusterMember[];
  /** Resolves with check()'s first defined value, re-checked whenever a node changes; undefined after timeoutMs. */
  waitFor<T>(check: () => T | undefined, timeoutMs: number, signal?: AbortSignal): Promise<T | undefined>;
  note(node: string, cause: string): void;
  now(): number;
}

export class ActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

type Push = (p: Omit<Progress, 'status'> & { status?: Progress['status'] }) => void;

const SETTLE_MS = 15_000;
const nameOf = (m: ClusterMember) => m.status?.node ?? m.id;
const mastered = (s: CarpdStatus | undefined) => s?.vhids.filter((v) => v.state === 'MASTER').map((v) => v.vhid) ?? [];
const list = (ns: number[]) => ns.join(', ');

async function carpctl(login: NodeSession, args: string[]): Promise<string> {
  const session = await rootSession(login, `carpctl ${args[0]}`);
  const { controlSocket } = await installedFacts(session);
  const r = await session.exec([...carpctlArgv(controlSocket), ...args, '--json']);
  const text = (r.stderr || r.stdout).replace(/^carpctl: /, '').trim();
  if (r.code === 3) throw new DeployError('not-running', `${session.label}: carpd is not running (${text})`, session.label);
  if (r.code !== 0) throw new DeployError('remote-failed', `${session.label}: carpctl ${args.join(' ')}: ${text}`, session.label);
  try {
    return (JSON.parse(r.stdout) as { message?: string }).message ?? r.stdout.trim();
  } catch {
    return r.stdout.trim();
  }
}

function pick(ctx: ActionContext, node: string | undefined, what: string, match: (m: ClusterMember) => boolean): ClusterMember {
  if (node !== undefined) return ctx.member(node);
  const found = ctx.members().filter(match);
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new ActionError('no-node', `no connected node is ${what}`, 'name the node the action is for');
  throw new ActionError('which-node', `several nodes are ${what} (${found.map((m) => m.id).join(', ')})`, 'name the node the action is for');
}

/** Waits until the other nodes report MASTER for `vhids` that `from` gave up. */
async function awaitTakeover(ctx: ActionContext, from: ClusterMember, vhids: number[], started: number, verb: string, push: Push, signal?: AbortSignal): Promise<string> {
  const peers = () => ctx.members().filter((m) => m !== from && m.status);
  if (vhids.length === 0) {
    const ok = await ctx.waitFor(() => (from.status?.maintenance ? true : undefined), SETTLE_MS, signal);
    if (!ok) throw new ActionError('not-confirmed', `${from.id} did not report maintenance within ${SETTLE_MS / 1000} s`);
    return `${nameOf(from)} is in maintenance; it was master of nothing, so no VIP moved`;
  }
  push({ node: from.id, step: 'wait', message: `waiting for the VIPs of vhid ${list(vhids)} to move` });
  const takers = await ctx.waitFor(() => {
    if (vhids.some((v) => mastered(from.status).includes(v))) return undefined;
    if (peers().length === 0) return from.status?.maintenance ? new Map<number, string>() : undefined;
    const by = new Map<number, string>();
    for (const v of vhids) {
      const m = peers().find((p) => mastered(p.status).includes(v));
      if (!m) return undefined;
      by.set(v, nameOf(m));
    }
    return by;
  }, SETTLE_MS, signal);
  if (!takers && from.status?.maintenance && vhids.some((v) => mastered(from.status).includes(v))) {
    throw new ActionError(
      'no-takeover',
      `${nameOf(from)} is in maintenance but still MASTER of vhid ${list(vhids.filter((v) => mastered(from.status).includes(v)))}: no other node took over within ${SETTLE_MS / 1000} s, so it keeps the VIPs and nothing went down`,
      'start carpd on the peer, or check that it hears this node on the VIP\'s segment (its status shows why); "maintenance off" cancels',
    );
  }
  if (!takers) {
    throw new ActionError('not-confirmed', `${nameOf(from)} bowed out, but no other node reported MASTER of vhid ${list(vhids)} within ${SETTLE_MS / 1000} s`, 'check that the peer is connected here and its carpd runs (its status shows why)');
  }
  const seconds = ((ctx.now() - started) / 1000).toFixed(1);
  if (takers.size === 0) return `${nameOf(from)} ${verb} (BACKUP of vhid ${list(vhids)} after ${seconds} s); no other node is connected here, so who took over is not known`;
  const byNode = new Map<string, number[]>();
  for (const [v, n] of takers) byNode.set(n, [...(byNode.get(n) ?? []), v]);
  const moved = [...byNode].map(([n, vs]) => `${n} is MASTER of vhid ${list(vs)}`).join('; ');
  return `VIPs moved in ${seconds} s: ${moved}; ${nameOf(from)} stays in maintenance until maintenance-off`;
}

async function maintenanceOn(ctx: ActionContext, node: string | undefined, failover: boolean, push: Push, signal?: AbortSignal): Promise<string> {
  const from = pick(ctx, node, 'master of a vhid', (m) => mastered(m.status).length > 0);
  const vhids = mastered(from.status);
  if (failover && vhids.length === 0) throw new ActionError('not-master', `${from.id} is not master of any vhid: nothing to fail over from it`, 'pick the node that is MASTER');
  const session = await rootSession(from.session(), failover ? 'failover' : 'maintenance');
  push({ node: from.id, step: 'request', message: failover ? `failing over: ${nameOf(from)} bows out (persistent maintenance)` : `asking carpd on ${nameOf(from)} to enter maintenance` });
  const started = ctx.now();
  const said = await setMaintenance(session, true);
  push({ node: from.id, step: 'requested', message: said });
  from.pollNow();
  return awaitTakeover(ctx, from, vhids, started, failover ? 'failed over' : 'bowed out', push, signal);
}

async function maintenanceOff(ctx: ActionContext, node: string | undefined, push: Push, signal?: AbortSignal): Promise<string> {
  const m = pick(ctx, node, 'in maintenance', (x) => x.status?.maintenance === true);
  const session = await rootSession(m.session(), 'maintenance');
  push({ node: m.id, step: 'request', message: `asking carpd on ${nameOf(m)} to leave maintenance` });
  const started = ctx.now();
  push({ node: m.id, step: 'requested', message: await setMaintenance(session, false) });
  m.pollNow();
  push({ node: m.id, step: 'wait', message: 'waiting for the nodes to settle (a preferred node takes its VIPs back)' });
  const peers = () => ctx.members().filter((x) => x !== m && x.status);
  const settled = await ctx.waitFor(() => {
    const s = m.status;
    if (!s || s.maintenance) return undefined;
    const lines: string[] = [];
    for (const v of s.vhids) {
      const masters = [m, ...peers()].filter((x) => mastered(x.status).includes(v.vhid));
      if (masters.length !== 1) return undefined;
      const master = masters[0];
      if (master !== m && master.status) {
        const mv = master.status.vhids.find((x) => x.vhid === v.vhid);
        if (mv && v.preempt && better(s, v, master.status, mv) < 0) return undefined;
      }
      lines.push(`vhid ${v.vhid} ${nameOf(master)}`);
    }
    return lines;
  }, SETTLE_MS, signal);
  if (!settled) throw new ActionError('not-confirmed', `${nameOf(m)} left maintenance, but the masters did not settle within ${SETTLE_MS / 1000} s`, 'look at each node\'s status (why) in the panel');
  return `${nameOf(m)} left maintenance (${((ctx.now() - started) / 1000).toFixed(1)} s); MASTER now: ${settled.join(', ') || 'no vhid'}`;
}

async function restart(ctx: ActionContext, node: string | undefined, push: Push, signal?: AbortSignal): Promise<string> {
  const m = pick(ctx, node, 'connected', () => true);
  const session = await rootSession(m.session(), 'restarting carpd');
  const oldPid = m.status?.pid;
  push({ node: m.id, step: 'request', message: `restarting carpd on ${nameOf(m)}` });
  const manager = await detectServiceManager(session);
  await restartService(session, manager);
  push({ node: m.id, step: 'wait', message: `restarted (${manager}); waiting for carpd to answer` });
  m.pollNow();
  const pid = await ctx.waitFor(() => (m.status && m.status.pid !== oldPid ? m.status.pid : undefined), 20_000, signal);
  if (pid === undefined) throw new ActionError('not-confirmed', `carpd on ${m.id} did not answer within 20 s after the restart`, 'look at /var/log/carpd.log on the node');
  return `carpd restarted on ${nameOf(m)} under ${manager} (pid ${oldPid ?? '-'} → ${pid})`;
}

async function resync(ctx: ActionContext, node: string | undefined, push: Push, signal?: AbortSignal): Promise<string> {
  const targets = node !== undefined ? [ctx.member(node)] : ctx.members().filter((m) => m.status?.stateSync);
  if (targets.length === 0) throw new ActionError('no-node', 'no connected node has state sync configured', 'add "stateSync" to the carpd config and deploy it');
  const results: string[] = [];
  for (const m of targets) {
    const before = m.status?.stateSync?.lastBulkSync ?? null;
    push({ node: m.id, step: 'request', message: `asking ${nameOf(m)} for a full state resync` });
    const said = await carpctl(m.session(), ['sync-states', '--resync']);
    push({ node: m.id, step: 'wait', message: `${said}; waiting for the bulk sync` });
    m.pollNow();
    const after = await ctx.waitFor(() => {
      const s = m.status?.stateSync;
      return s && s.lastBulkSync !== before && s.lastBulkSync !== null ? s : undefined;
    }, 10_000, signal);
    results.push(after ? `${nameOf(m)}: bulk sync done at ${after.lastBulkSync} (${after.states.kernel ?? '?'} states)` : `${nameOf(m)}: ${said} (no new bulk sync reported within 10 s)`);
  }
  return results.join('; ');
}

async function pushConfig(ctx: ActionContext, node: string | undefined, push: Push, signal?: AbortSignal): Promise<string> {
  const m = pick(ctx, node, 'the config sync source', (x) => x.status?.configSync?.role === 'source');
  const before = m.status?.configSync?.lastPush?.time ?? null;
  push({ node: m.id, step: 'request', message: `pushing the synced config from ${nameOf(m)} to its peer` });
  const said = await carpctl(m.session(), ['sync-config', 'push']);
  push({ node: m.id, step: 'wait', message: `${said}; waiting for the peer to report in sync` });
  m.pollNow();
  const after = await ctx.waitFor(() => {
    const c = m.status?.configSync;
    if (!c || (c.lastPush?.time ?? null) === before) return undefined;
    return c.lastPush?.ok === false || c.sections.every((s) => s.state === 'in-sync') ? c : undefined;
  }, 10_000, signal);
  if (after?.lastPush?.ok === false) throw new ActionError('push-failed', `the push from ${nameOf(m)} failed: ${after.lastPush.error ?? 'unknown error'}`);
  return after ? `${said}; every section in sync` : `${said} (the sync state was not confirmed within 10 s)`;
}

/** Runs `action`, streaming its progress; the last update has `done`. */
export async function runAction(ctx: ActionContext, action: ClusterAction, node: string | undefined, emit: (p: Progress) => void, signal?: AbortSignal): Promise<void> {
  let last: string | null = node ?? null;
  const push: Push = (p) => {
    last = p.node;
    emit({ status: 'running', ...p });
  };
  try {
    const message = await {
      'maintenance-on': () => maintenanceOn(ctx, node, false, push, signal),
      failover: () => maintenanceOn(ctx, node, true, push, signal),
      'maintenance-off': () => maintenanceOff(ctx, node, push, signal),
      restart: () => restart(ctx, node, push, signal),
      'resync-states': () => resync(ctx, node, push, signal),
      'push-config': () => pushConfig(ctx, node, push, signal),
    }[action]();
    ctx.note(last ?? 'cluster', `${action}: ${message}`);
    emit({ node: last, step: 'result', message, status: 'done', done: { ok: true, message } });
  } catch (e) {
    const error = e instanceof ActionError ? { code: e.code, message: e.message, ...(e.fix ? { fix: e.fix } : {}) } : errorValue(e);
    ctx.note(last ?? 'cluster', `${action} failed: ${error.message}`);
    emit({ node: last, step: 'result', message: error.message, status: 'failed', done: { ok: false, message: error.message, error } });
  }
}
