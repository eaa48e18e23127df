// carpd with "stateSync": a graceful handover (maintenance mode on the master, then SIGTERM of the master) and the
// failback keep long-lived TCP (plain and NATed) and UDP flows, with no reset at either end and a short stall.
import { describe, expect, it } from 'vitest';
import { carpdUnavailableReason, restartCarpd, startCarpd, waitFor, type Carpd, type CarpdConfig, type LabNode } from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';
import { buildFirewallPair, longestStall, report, startFlows, VIP, waitEchoesAfter, watchResets, type Flow, type Pair } from './pair.js';

const skip = requireRoot(['conntrackd', 'conntrack', 'nft', 'python3']) || carpdUnavailableReason() !== null;

/** The outage a graceful handover may cost a flow (the issue's target: under 1 s). */
const MAX_STALL_MS = 1000;

function config(fw: LabNode, advskew: number, peer: string): CarpdConfig {
  return {
    node: fw.name,
    vhids: [
      { vhid: 1, interface: 'lan', advbase: 1, advskew, password: 'lan-secret', vips: [`${VIP.lan}/24`] },
      { vhid: 2, interface: 'wan', advbase: 1, advskew, password: 'wan-secret', vips: [`${VIP.wan}/24`] },
    ],
    stateSync: { interface: 'sync', peer, startupTimeout: 20 },
  };
}

describe.skipIf(skip)('carpd state sync lab: graceful handover', () => {
  let pair: Pair;
  let c1: Carpd;
  let c2: Carpd;
  let flows: Flow[];
  let resets: { client: () => Promise<number>; server: () => Promise<number> };
  const lab = useLab('ssgrace', async (l) => {
    pair = await buildFirewallPair(l);
  });

  const externalCache = async (c: Carpd) => ((await c.status()).stateSync as { states: { externalCache: number | null } }).states.externalCache ?? 0;

  async function masterOfBoth(c: Carpd, timeoutMs = 10_000) {
    await c.waitState(1, 'MASTER', timeoutMs);
    await c.waitState(2, 'MASTER', timeoutMs);
  }

  /** The test flows' packets counted by a firewall's conntrack (accounting is on in the lab). */
  async function flowPackets(fw: LabNode): Promise<number> {
    const r = await lab().exec(fw, ['conntrack', '-L']);
    let n = 0;
    for (const line of r.stdout.split('\n')) if (/dport=500[123]\b/.test(line)) for (const m of line.matchAll(/packets=(\d+)/g)) n += Number(m[1]);
    return n;
  }

  /** The flows now go through `fw`: its conntrack counts their packets, growing. */
  async function expectCarries(fw: LabNode) {
    const first = await flowPackets(fw);
    await waitFor(`the flows' packets counted on ${fw.name}`, async () => (await flowPackets(fw)) > first + 10, 5000, 100);
  }

  /** Waits for every flow to echo after the handover and checks: no break, no reset at either end, stall bound. */
  async function expectFlowsKept(what: string, since: number) {
    await waitEchoesAfter(flows, Date.now() + 200, 10_000);
    const reports = flows.map(report);
    const stalls = reports.map((r) => ({ name: r.name, ms: longestStall(r, since) }));
    const [client, server] = [await resets.client(), await resets.server()];
    console.info(`${what}: longest stall ${stalls.map((s) => `${s.name} ${s.ms} ms`).join(', ')}; resets seen by the client ${client}, by the server ${server}`);
    for (const r of reports) expect(r.breaks, `${r.name} broke`).toEqual([]);
    expect({ client, server }).toEqual({ client: 0, server: 0 });
    for (const s of stalls) expect(s.ms, `${s.name} stalled ${s.ms} ms`).toBeLessThan(MAX_STALL_MS);
  }

  it('the pair is up with fw1 master and fw2 holding the flows\' states', async () => {
    [c1, c2] = await Promise.all([startCarpd(lab(), pair.fw1, config(pair.fw1, 0, '10.0.3.3')), startCarpd(lab(), pair.fw2, config(pair.fw2, 100, '10.0.3.2'))]);
    await masterOfBoth(c1, 30_000);
    await c2.waitState(1, 'BACKUP');
    resets = { client: await watchResets(lab(), pair.client), server: await watchResets(lab(), pair.server) };
    flows = await startFlows(lab(), pair);
    await waitFor('fw2 to hold the flows', async () => (await externalCache(c2)) >= 3, 10_000, 200);
  });

  it('maintenance on the master: fw2 takes over and the flows (TCP, NATed TCP, UDP) stall well under 1 s, no reset', async () => {
    const before = Date.now();
    const r = await c1.ctl(['maintenance', 'on']);
    expect(r.code, r.stderr).toBe(0);
    await masterOfBoth(c2);
    expect(await c1.state(1)).toBe('BACKUP');
    expect(await c1.state(2)).toBe('BACKUP');
    expect((await c2.status()).stateSync).toMatchObject({ lastCommit: { ok: true } });
    await expectCarries(pair.fw2);
    await expectFlowsKept('maintenance on fw1', before);
  });

  it('maintenance off: the preferred fw1 takes back over without breaking the flows', async () => {
    await waitFor('fw1 to hold the flows', async () => (await externalCache(c1)) >= 3, 10_000, 200);
    const before = Date.now();
    const r = await c1.ctl(['maintenance', 'off']);
    expect(r.code, r.stderr).toBe(0);
    await masterOfBoth(c1);
    await c2.waitState(1, 'BACKUP');
    await c2.waitState(2, 'BACKUP');
    await expectCarries(pair.fw1);
    await expectFlowsKept('failback after maintenance off', before);
  });

  it('SIGTERM of the master: it bows out, fw2 takes over and the flows stall well under 1 s, no reset', async () => {
    await waitFor('fw2 to hold the flows', async () => (await externalCache(c2)) >= 3, 10_000, 200);
    const before = Date.now();
    c1.proc.kill('SIGTERM');
    await masterOfBoth(c2);
    expect((await c1.proc.exited).code).toBe(0);
    await expectCarries(pair.fw2);
    await expectFlowsKept('SIGTERM of fw1', before);
  });

  it('fw1 started again takes back over once its bulk resync is done, without breaking the flows', async () => {
    await restartCarpd(c1);
    const before = Date.now();
    await masterOfBoth(c1, 30_000);
    await expectCarries(pair.fw1);
    await expectFlowsKept('failback to the restarted fw1', before);
  });
});
