// carpd with "stateSync": conntrackd run, supervised and driven by carpd itself on a firewall pair.
import { describe, expect, it } from 'vitest';
import { carpdUnavailableReason, restartCarpd, startCarpd, waitFor, type Carpd, type CarpdConfig, type CarpdEvent, type LabNode } from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';
import { buildFirewallPair, longestStall, report, startFlows, VIP, waitEchoesAfter, type Flow, type Pair } from './pair.js';

const skip = requireRoot(['conntrackd', 'conntrack', 'nft', 'python3']) || carpdUnavailableReason() !== null;

function config(fw: LabNode, advskew: number, peer: string): CarpdConfig {
  return {
    node: fw.name,
    vhids: [
      { vhid: 1, interface: 'lan', advbase: 1, advskew, password: 'lan-secret', vips: [`${VIP.lan}/24`] },
      { vhid: 2, interface: 'wan', advbase: 1, advskew, password: 'wan-secret', vips: [`${VIP.wan}/24`] },
    ],
    stateSync: { interface: 'sync', peer, startupTimeout: 20, stallAfter: 4 },
  };
}

const syncEvents = (events: CarpdEvent[], what: string) => events.filter((e) => e.kind === ('state-sync' as string) && e.event === what);

describe.skipIf(skip)('carpd state sync lab', () => {
  let pair: Pair;
  let c1: Carpd;
  let c2: Carpd;
  let flows: Flow[];
  const lab = useLab('sscarpd', async (l) => {
    pair = await buildFirewallPair(l);
  });

  const stateSync = async (c: Carpd) => (await c.status()).stateSync as { ready: boolean; peerReachable: boolean; conntrackd: { restarts: number; pid: number }; lastCommit: { ok: boolean; ms: number; states: number } | null; states: { externalCache: number | null } };

  it('a starting node is demoted (reason state-sync) until its bulk resync is done; then the preferred node is master', async () => {
    [c1, c2] = await Promise.all([startCarpd(lab(), pair.fw1, config(pair.fw1, 0, '10.0.3.3')), startCarpd(lab(), pair.fw2, config(pair.fw2, 100, '10.0.3.2'))]);
    const first = await c1.status();
    expect(first.demotionReasons?.['state-sync']).toBe(240);
    await waitFor('both nodes ready', async () => (await stateSync(c1)).ready && (await stateSync(c2)).ready, 20_000, 200);
    await waitFor('state-sync demotion cleared', async () => (await c1.status()).demotionReasons?.['state-sync'] === undefined, 5000, 100);
    expect(syncEvents(await c1.events(), 'ready')).toHaveLength(1);
    await c1.waitState(1, 'MASTER');
    await c1.waitState(2, 'MASTER');
    await c2.waitState(1, 'BACKUP');
  });

  it('carpctl status shows state sync health', async () => {
    const r = await c2.ctl(['status']);
    expect(r.stdout).toMatch(/state sync: peer 10\.0\.3\.2 on sync from 10\.0\.3\.3; peer reachable/);
    expect(r.stdout).toMatch(/ready: yes \(bulk resync with the peer done/);
    const only = await c2.ctl(['sync-states']);
    expect(only.code).toBe(0);
    expect(only.stdout).toMatch(/^state sync: peer 10\.0\.3\.2/);
  });

  it('a cut sync link causes no failover; status and an event report it, and it recovers', async () => {
    flows = await startFlows(lab(), pair);
    await waitFor('fw2 to hold the flows', async () => ((await stateSync(c2)).states.externalCache ?? 0) >= 3, 10_000, 200);
    await lab().linkDown(pair.fw2, 'sync');
    await waitFor('fw2 to report the peer lost', async () => syncEvents(await c2.events(), 'peer-lost').length > 0, 10_000, 200);
    expect((await stateSync(c2)).peerReachable).toBe(false);
    expect(await c1.state(1)).toBe('MASTER');
    expect(await c2.state(1)).toBe('BACKUP');
    await lab().linkUp(pair.fw2, 'sync');
    await waitFor('fw2 to report the peer back', async () => syncEvents(await c2.events(), 'peer-back').length > 0, 10_000, 200);
  });

  it('a killed conntrackd is restarted by carpd and reported', async () => {
    const before = await stateSync(c2);
    await lab().execOk(pair.fw2, ['kill', '-KILL', String(before.conntrackd.pid)]);
    await waitFor('conntrackd restarted', async () => syncEvents(await c2.events(), 'conntrackd-started').length > 0, 10_000, 200);
    expect(syncEvents(await c2.events(), 'conntrackd-died')[0].cause).toMatch(/^conntrackd killed by SIGKILL/);
    expect((await stateSync(c2)).conntrackd.restarts).toBe(before.conntrackd.restarts + 1);
    await waitFor('fw2 to hear the peer again', async () => (await stateSync(c2)).peerReachable, 10_000, 200);
    expect((await c2.ctl(['sync-states', '--resync'])).code).toBe(0);
    await waitFor('fw2 to hold the flows again', async () => ((await stateSync(c2)).states.externalCache ?? 0) >= 3, 10_000, 200);
  });

  it('hard failover: carpd commits before taking the VIPs and the flows resume, no reset', async () => {
    for (const i of ['lan', 'wan', 'sync']) await lab().linkDown(pair.fw1, i);
    const cutAt = Date.now();
    await c2.waitState(1, 'MASTER', 10_000);
    await c2.waitState(2, 'MASTER', 10_000);
    const at = Date.now();
    await waitEchoesAfter(flows, at, 10_000);
    const reports = flows.map(report);
    for (const r of reports) expect(r.breaks, `${r.name} broke`).toEqual([]);
    const commit = (await stateSync(c2)).lastCommit;
    expect(commit).toMatchObject({ ok: true });
    expect(commit!.states).toBeGreaterThanOrEqual(3);
    expect(syncEvents(await c2.events(), 'commit').length).toBeGreaterThan(0);
    const takeover = at - cutAt;
    console.info(`carpd hard failover: fw2 MASTER ${takeover} ms after the cut, commit ${commit!.ms.toFixed(1)} ms; longest stall ${reports.map((r) => `${r.name} ${longestStall(r, cutAt)} ms`).join(', ')}`);
    // With the retransmission nudge TCP resumes with the takeover, not at its next backed-off retransmission.
    for (const r of reports) expect(longestStall(r, cutAt), `${r.name} stalled`).toBeLessThan(takeover + 1000);
  });

  it('the preferred node, rebooted, stays demoted until its bulk resync brought the states, then takes back over without breaking the flows', async () => {
    // a reboot: carpd killed (its conntrackd left behind), the kernel's states gone, links back
    c1.proc.kill('SIGKILL');
    await c1.proc.exited;
    await lab().execOk(pair.fw1, ['conntrack', '-F']);
    for (const i of ['lan', 'wan', 'sync']) await lab().linkUp(pair.fw1, i);
    const before = Date.now();
    await restartCarpd(c1);
    expect((await c1.status()).demotionReasons?.['state-sync']).toBe(240);
    await c1.waitState(1, 'MASTER', 20_000);
    await c1.waitState(2, 'MASTER', 5000);
    const events = await c1.events();
    const ready = syncEvents(events, 'ready').at(-1)!;
    const master = events.filter((e) => e.kind === 'state' && e.new === 'MASTER').at(-1)!;
    expect(ready.seq).toBeLessThan(master.seq);
    expect(ready.cause).toMatch(/^bulk resync with the peer done \((\d+) states\)/);
    expect(Number(/\((\d+) states\)/.exec(ready.cause)![1])).toBeGreaterThanOrEqual(3);
    const at = Date.now();
    await waitEchoesAfter(flows, at, 10_000);
    const reports = flows.map(report);
    for (const r of reports) expect(r.breaks, `${r.name} broke`).toEqual([]);
    console.info(`failback to the rebooted node: longest stall ${reports.map((r) => `${r.name} ${longestStall(r, before)} ms`).join(', ')}`);
    for (const r of reports) expect(longestStall(r, before), `${r.name} stalled`).toBeLessThan(1000);
  });
});
