// State sync driven the way carpd drives it (commit before the VIPs, flush/resync/bulk after; timers and resync
// on backup), on a real firewall pair with conntrackd, nftables and nf_conntrack_tcp_loose=0.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateSyncSchema } from '../../../daemon/statesync/config.js';
import { createStateSync, conntrackdPaths, type StateSync, type StateSyncEvent } from '../../../daemon/statesync/sync.js';
import { nsHost } from '../../unit/statesync/nshost.js';
import { sleep, waitFor, type LabNode } from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';
import { addVips, buildFirewallPair, externalFlowStates, HERE, longestStall, nudgeIn, removeVips, report, SERVER, startFlows, waitEchoesAfter, type Flow, type Pair } from './pair.js';

const PEER = { fw1: '10.0.3.3', fw2: '10.0.3.2' } as const;

describe.skipIf(requireRoot(['conntrackd', 'conntrack', 'nft', 'python3']))('state sync lab: flows survive failovers', () => {
  let pair: Pair;
  let flows: Flow[];
  const syncs = new Map<string, StateSync>();
  const events: { node: string; e: StateSyncEvent }[] = [];

  const lab = useLab('ssync', async (l) => {
    pair = await buildFirewallPair(l);
  });

  const confOf = (fw: LabNode) => conntrackdPaths(join(fw.dir, 'conntrackd')).conf;

  async function startSync(fw: LabNode): Promise<StateSync> {
    const config = stateSyncSchema.parse({ interface: 'sync', peer: PEER[fw.name as 'fw1' | 'fw2'], startupTimeout: 20, purgeTimeout: 5, stallAfter: 4 });
    const s = createStateSync(config, { dir: join(fw.dir, 'conntrackd'), host: nsHost(fw.netns), pollMs: 500, backoffMs: [200], nudge: nudgeIn(lab(), fw) });
    s.onEvent((e) => events.push({ node: fw.name, e }));
    expect(await s.start()).toBeNull();
    syncs.set(fw.name, s);
    return s;
  }
  const sync = (fw: LabNode) => syncs.get(fw.name)!;

  /** What carpd does when a node becomes MASTER. */
  async function takeOver(fw: LabNode, withSync = true) {
    const commit = withSync ? await sync(fw).beforeMaster() : null;
    await addVips(lab(), fw);
    const at = Date.now();
    if (withSync) await sync(fw).afterMaster();
    return { commit, at };
  }

  async function cut(fw: LabNode, ifnames: string[], up: boolean) {
    for (const i of ifnames) await (up ? lab().linkUp(fw, i) : lab().linkDown(fw, i));
  }

  it('the backup receives the master\'s flow states over the sync link', async () => {
    const [s1, s2] = [await startSync(pair.fw1), await startSync(pair.fw2)];
    await waitFor('both nodes ready (bulk resync with the peer)', () => s1.ready && s2.ready, 20_000, 100);
    expect(s2.status().readyReason).toMatch(/^bulk resync with the peer done/);
    await s1.preflight().then((p) => expect(p.checks.filter((c) => !c.ok)).toEqual([]));
    await addVips(lab(), pair.fw1);
    await s2.onBackup();
    flows = await startFlows(lab(), pair);
    const synced = await waitFor('fw2 to hold the 3 flows in its external cache', async () => (await externalFlowStates(lab(), pair.fw2, confOf(pair.fw2))).length >= 3 || undefined, 10_000, 100);
    expect(synced).toBe(true);
    expect(s2.status()).toMatchObject({ peerReachable: true, conntrackd: { running: true } });
  });

  it('hard failover (master\'s links cut): TCP with and without NAT and UDP continue on the backup within a second of the takeover, no reset', async () => {
    await cut(pair.fw1, ['lan', 'wan', 'sync'], false);
    const cutAt = Date.now();
    await sleep(3000);
    const { commit, at } = await takeOver(pair.fw2);
    expect(commit).toMatchObject({ ok: true });
    expect(commit!.states).toBeGreaterThanOrEqual(3);
    await waitEchoesAfter(flows, at, 15_000);
    const reports = flows.map(report);
    for (const r of reports) expect(r.breaks, `${r.name} broke`).toEqual([]);
    const resumed = reports.map((r) => ({ name: r.name, ms: r.echoes.find((t) => t > at)! - at }));
    console.info(`hard failover: commit of ${commit!.states} states took ${commit!.ms.toFixed(1)} ms; longest stall ${reports.map((r) => `${r.name} ${longestStall(r, cutAt)} ms`).join(', ')}; resumed after the VIP takeover: ${resumed.map((r) => `${r.name} ${r.ms} ms`).join(', ')}`);
    console.info(events.filter((x) => x.e.kind === 'nudge').map((x) => x.e.message).join('\n'));
    // Without the retransmission nudge TCP waits for its next backed-off retransmission, often 3 s later.
    for (const r of resumed) expect(r.ms, `${r.name} resumed ${r.ms} ms after the takeover`).toBeLessThan(1000);
  });

  it('the failed node comes back empty, is not ready until its bulk resync brought the flows, and a graceful failback keeps them', async () => {
    const old = sync(pair.fw1);
    await old.stop();
    await removeVips(lab(), pair.fw1);
    await lab().execOk(pair.fw1, ['conntrack', '-F']);
    await cut(pair.fw1, ['lan', 'wan', 'sync'], true);
    const s1 = await startSync(pair.fw1);
    expect(s1.ready).toBe(false);
    await waitFor('fw1 ready after its bulk resync', () => s1.ready, 20_000, 100);
    expect(s1.status().readyReason).toMatch(/^bulk resync with the peer done \(\d+ states\)/);
    expect((await externalFlowStates(lab(), pair.fw1, confOf(pair.fw1))).length).toBeGreaterThanOrEqual(3);

    const before = Date.now();
    await removeVips(lab(), pair.fw2);
    await sync(pair.fw2).onBackup();
    const { commit, at } = await takeOver(pair.fw1);
    expect(commit).toMatchObject({ ok: true });
    await waitEchoesAfter(flows, at, 10_000);
    const reports = flows.map(report);
    for (const r of reports) expect(r.breaks, `${r.name} broke`).toEqual([]);
    console.info(`graceful failback: commit ${commit!.ms.toFixed(1)} ms; longest stall ${reports.map((r) => `${r.name} ${longestStall(r, before)} ms`).join(', ')}`);
  });

  it('a cut sync link is reported (event and status) and recovers when the link returns', async () => {
    const since = events.length;
    await cut(pair.fw2, ['sync'], false);
    await waitFor('fw2 to report the peer lost', () => events.slice(since).some((x) => x.node === 'fw2' && x.e.kind === 'peer-lost'), 10_000, 100);
    expect(sync(pair.fw2).status().peerReachable).toBe(false);
    expect(flows.map(report).every((r) => r.breaks.length === 0)).toBe(true);
    await cut(pair.fw2, ['sync'], true);
    await waitFor('fw2 to report the peer back', () => events.slice(since).some((x) => x.node === 'fw2' && x.e.kind === 'peer-back'), 10_000, 100);
    expect(sync(pair.fw2).status().peerReachable).toBe(true);
  });

  it('a killed conntrackd is restarted and the restart reported', async () => {
    const since = events.length;
    const before = sync(pair.fw2).status().conntrackd;
    await lab().execOk(pair.fw2, ['kill', '-KILL', String(before.pid)]);
    await waitFor('conntrackd on fw2 restarted', () => events.slice(since).some((x) => x.node === 'fw2' && x.e.kind === 'conntrackd-started'), 10_000, 100);
    const died = events.slice(since).find((x) => x.node === 'fw2' && x.e.kind === 'conntrackd-died');
    expect(died?.e.message).toMatch(/^conntrackd killed by SIGKILL/);
    await waitFor('fw2 to hear the peer again', () => sync(pair.fw2).status().messages !== null && sync(pair.fw2).status().peerReachable, 10_000, 100);
    expect(sync(pair.fw2).status().conntrackd.restarts).toBe(before.restarts + 1);
  });

  it('the retransmission nudge hears both ends of every one of 300 more (NATed) flows, not only what fits a small capture buffer', async () => {
    const many = lab().spawn(pair.client, [process.execPath, join(HERE, 'flows.mjs'), 'probe', SERVER, '5002', '300', '5']);
    try {
      await waitFor('300 more flows connected', () => (many.output().match(/^P /gm)?.length ?? 0) >= 300, 20_000, 100);
      const r = await nudgeIn(lab(), pair.fw1)();
      console.info(`nudge on fw1: prompted ${r.nudged} TCP endpoint(s) of ${r.flows} flow(s)`);
      expect(r.errors).toEqual([]);
      expect(r.flows).toBeGreaterThanOrEqual(302);
      expect(r.nudged).toBe(2 * r.flows);
    } finally {
      many.kill('SIGKILL');
    }
  });

  it('without state sync the same hard failover kills the TCP flows (the lab really drops stateless packets)', async () => {
    for (const s of syncs.values()) await s.stop();
    await lab().execOk(pair.fw2, ['conntrack', '-F']);
    await cut(pair.fw1, ['lan', 'wan', 'sync'], false);
    await sleep(3000);
    const { at } = await takeOver(pair.fw2, false);
    await sleep(8000);
    for (const f of flows.filter((x) => x.name.startsWith('tcp'))) {
      expect(report(f).echoes.filter((t) => t > at), `${f.name} must get no echo through a firewall without its state`).toEqual([]);
    }
  });
});
