import { createRouterClient, implement } from '@orpc/server';
import { describe, expect, it } from 'vitest';
import { contract } from '../../../shared/api/contract.js';
import { pairingRouter, type PairingRouterDeps } from '../../../electron/core/api/pairing-router.js';
import type { SshSession } from '../../../electron/core/ssh/session.js';
import { SshError } from '../../../electron/core/ssh/errors.js';
import { DRILL, FakeEngine, PLAN, PREFLIGHT, VERIFY } from './fake-engine.js';

const session = (label: string) => ({ label }) as unknown as SshSession;

function setup(deps: Partial<PairingRouterDeps> = {}) {
  const engines: FakeEngine[] = [];
  const connected = new Set(['root@10.99.0.2', 'root@10.99.0.3', 'root@10.99.0.4']);
  const api = implement(contract);
  const client = createRouterClient({
    pairing: pairingRouter(api.pairing, {
      sessionOf: (node) => {
        if (!connected.has(node)) throw new SshError('closed', `${node} is not connected`, node);
        return session(node);
      },
      createEngine: (sessions) => {
        const e = new FakeEngine(sessions);
        engines.push(e);
        return e;
      },
      reportHtml: (r) => `<!doctype html><title>${r.plan.name}</title>`,
      ...deps,
    }),
  }).pairing;
  const start = async () => (await client.start({ primary: 'root@10.99.0.2', secondary: 'root@10.99.0.3' })).pairing;
  return { client, engines, start };
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const u of stream) out.push(u);
  return out;
}

describe('pairing API', () => {
  it('starts a pairing over the SSH sessions of the two connected nodes, each with its own id', async () => {
    const { engines, start } = setup();
    const a = await start();
    const b = await start();
    expect(a).not.toBe(b);
    expect(engines[0].sessions).toEqual({ primary: { label: 'root@10.99.0.2' }, secondary: { label: 'root@10.99.0.3' } });
  });

  it('refuses the same node twice and a node that is not connected, saying how to fix it', async () => {
    const { client, engines } = setup();
    await expect(client.start({ primary: 'root@10.99.0.2', secondary: 'root@10.99.0.2' })).rejects.toMatchObject({ code: 'same-node', data: { fix: expect.stringContaining('two different') } });
    const err = await client.start({ primary: 'root@10.99.0.2', secondary: 'root@10.99.0.9' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'closed', message: 'secondary root@10.99.0.9: root@10.99.0.9 is not connected', data: { fix: expect.stringContaining('Connect root@10.99.0.9') } });
    expect(engines).toHaveLength(0);
  });

  it('says the backend cannot reach nodes when no session source is wired', async () => {
    const { client } = setup({ sessionOf: undefined });
    await expect(client.start({ primary: 'root@10.99.0.2', secondary: 'root@10.99.0.3' })).rejects.toMatchObject({ code: 'not-available' });
  });

  it('streams each preflight check as it comes, then the report, passing the options to the engine', async () => {
    const { client, engines, start } = setup();
    const pairing = await start();
    const updates = await collect(await client.preflight({ pairing, listenSeconds: 4, overrides: ['sync-interface'] }));
    expect(updates.map((u) => u.kind)).toEqual(['check', 'check', 'done']);
    expect(updates[0]).toMatchObject({ kind: 'check', check: { id: 'packages', status: 'pass' } });
    expect(updates[2]).toEqual({ kind: 'done', result: PREFLIGHT });
    expect(engines[0].calls[0]).toEqual({ method: 'preflight', args: [{ listenSeconds: 4, vipSubnets: undefined, overrides: ['sync-interface'] }] });
  });

  it('runs a remedy on the named node and ends with its message', async () => {
    const { client, engines, start } = setup();
    const pairing = await start();
    const updates = await collect(await client.remedy({ pairing, node: 'secondary', remedy: 'install-packages' }));
    expect(updates.at(-1)).toEqual({ kind: 'done', result: { message: 'conntrackd installed' } });
    expect(updates[0]).toMatchObject({ kind: 'step', step: { node: 'secondary', status: 'running' } });
    expect(engines[0].calls[0]).toEqual({ method: 'remedy', args: ['secondary', 'install-packages'] });
  });

  it('proposes a plan, and checks an edited one with its problems', async () => {
    const { client, engines, start } = setup();
    const pairing = await start();
    const proposed = await client.plan({ pairing });
    expect(proposed.plan).toEqual(PLAN);
    expect(proposed.changes[0].files[0].path).toBe('/etc/carpd.json');
    const edited = { ...PLAN, vips: [{ ...PLAN.vips[0], vhid: 7 }] };
    const checked = await client.plan({ pairing, plan: edited });
    expect(checked.problems).toEqual(['vhid 7 is used on lan']);
    expect(engines[0].calls.map((c) => c.args[0])).toEqual([undefined, edited]);
  });

  it('refuses an edited plan whose password is longer than 19 bytes before the engine sees it', async () => {
    const { client, engines, start } = setup();
    const pairing = await start();
    const edited = { ...PLAN, vips: [{ ...PLAN.vips[0], password: 'x'.repeat(20) }] };
    await expect(client.plan({ pairing, plan: edited })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(engines[0].calls).toEqual([]);
  });

  it('streams apply step by step and ends with applied', async () => {
    const { client, start } = setup();
    const pairing = await start();
    const updates = await collect(await client.apply({ pairing, plan: PLAN }));
    expect(updates.map((u) => (u.kind === 'step' ? u.step.message : u.kind))).toEqual(['Staging carpd on fw1', 'Starting carpd on both nodes', 'done']);
    expect(updates.at(-1)).toEqual({ kind: 'done', result: { applied: true } });
  });

  it('ends a failed apply with what was rolled back and the coded error with its fix', async () => {
    const { client, engines, start } = setup();
    const pairing = await start();
    engines[0].failures.apply = Object.assign(new Error('carpd rejected the config: vhids[0].interface: no such interface'), { code: 'config-rejected', where: 'fw2', fix: 'Re-run preflight.' });
    const updates = await collect(await client.apply({ pairing, plan: PLAN }));
    expect(updates.map((u) => (u.kind === 'step' ? u.step.phase : u.kind))).toEqual(['stage', 'rollback', 'failed']);
    expect(updates.at(-1)).toEqual({
      kind: 'failed',
      error: { code: 'config-rejected', message: 'fw2: carpd rejected the config: vhids[0].interface: no such interface', fix: 'Re-run preflight.' },
    });
  });

  it('turns an unexpected exception into a plain message without a stack trace', async () => {
    const { client, engines, start } = setup();
    const pairing = await start();
    engines[0].failures.verify = new TypeError("Cannot read properties of undefined (reading 'vhids')");
    const updates = await collect(await client.verify({ pairing }));
    const last = updates.at(-1);
    expect(last).toMatchObject({ kind: 'failed', error: { code: 'internal', message: "Cannot read properties of undefined (reading 'vhids')" } });
    expect(JSON.stringify(last)).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('ends the step and frees the pairing when the engine throws before its first await', async () => {
    const { client, engines, start } = setup();
    const pairing = await start();
    engines[0].verify = () => {
      throw Object.assign(new Error('not applied yet'), { code: 'not-applied', where: 'pairing' });
    };
    expect(await collect(await client.verify({ pairing }))).toEqual([{ kind: 'failed', error: { code: 'not-applied', message: 'pairing: not applied yet' } }]);
    expect((await collect(await client.drill({ pairing }))).at(-1)).toMatchObject({ kind: 'done' });
  });

  it('runs one streaming step at a time per pairing', async () => {
    const { client, engines, start } = setup();
    const pairing = await start();
    let release!: () => void;
    engines[0].gate = new Promise((r) => (release = r));
    const first = await client.apply({ pairing, plan: PLAN });
    const firstStep = await first.next();
    expect(firstStep.value).toMatchObject({ kind: 'step' });
    const second = await collect(await client.drill({ pairing }));
    expect(second).toEqual([{ kind: 'failed', error: { code: 'busy', message: 'this pairing is still running its apply', fix: 'Wait until the apply has finished, then drill again.' } }]);
    await expect(client.plan({ pairing })).rejects.toMatchObject({ code: 'busy' });
    release();
    const rest = await collect(first);
    expect(rest.at(-1)).toMatchObject({ kind: 'done' });
    const drill = await collect(await client.drill({ pairing, linkLoss: true }));
    expect(drill.at(-1)).toEqual({ kind: 'done', result: DRILL });
    expect(engines[0].calls.at(-1)).toEqual({ method: 'drill', args: [{ linkLoss: true }] });
  });

  it('hands the drill its probe: from a lab namespace, or from this computer', async () => {
    const { client, engines, start } = setup();
    const pairing = await start();
    await collect(await client.drill({ pairing, probe: { target: '198.51.100.100', flowPort: 7777, namespace: 'lab-client' } }));
    await collect(await client.drill({ pairing, probe: { target: 'server.example' } }));
    expect(engines[0].calls.map((c) => c.args[0])).toEqual([
      { linkLoss: false, probe: { kind: 'netns', namespace: 'lab-client', target: '198.51.100.100', flow: { port: 7777 } } },
      { linkLoss: false, probe: { kind: 'local', target: 'server.example', flow: undefined } },
    ]);
  });

  it('refuses a probe target that could pass as a ping option before the engine sees it', async () => {
    const { client, engines, start } = setup();
    const pairing = await start();
    await expect(client.drill({ pairing, probe: { target: '-f' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(engines[0].calls).toEqual([]);
  });

  it('frees the pairing once the engine finishes a step whose client went away', async () => {
    const { client, engines, start } = setup();
    const pairing = await start();
    let release!: () => void;
    engines[0].gate = new Promise((r) => (release = r));
    const apply = await client.apply({ pairing, plan: PLAN });
    await apply.next();
    await apply.return(undefined);
    expect((await collect(await client.verify({ pairing }))).at(-1)).toMatchObject({ kind: 'failed', error: { code: 'busy' } });
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect((await collect(await client.verify({ pairing }))).at(-1)).toEqual({ kind: 'done', result: VERIFY });
  });

  it('verifies and ends with the result', async () => {
    const { client, start } = setup();
    const pairing = await start();
    expect((await collect(await client.verify({ pairing }))).at(-1)).toEqual({ kind: 'done', result: VERIFY });
  });

  it('returns the commissioning report with its HTML page', async () => {
    const { client, start } = setup();
    const pairing = await start();
    const { report, html } = await client.report({ pairing });
    expect(report.format).toBe('carpdeck-commissioning/1');
    expect(html).toBe('<!doctype html><title>fw1-fw2</title>');
  });

  it('renders the report as a standalone HTML page by default', async () => {
    const { client, start } = setup({ reportHtml: undefined });
    const pairing = await start();
    const { html } = await client.report({ pairing });
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('fw1-fw2');
    expect(html).not.toMatch(/<script/i);
  });

  it('says an unknown pairing id must be started again', async () => {
    const { client } = setup();
    await expect(client.plan({ pairing: 'nope' })).rejects.toMatchObject({ code: 'unknown-pairing', data: { fix: expect.stringContaining('Start the pairing again') } });
  });

  it('forgets a pairing left idle longer than the idle time', async () => {
    let now = 0;
    const { client, start } = setup({ idleMs: 1000, now: () => now });
    const pairing = await start();
    now = 900;
    await client.plan({ pairing });
    now = 1800;
    await client.plan({ pairing });
    now = 2801;
    await expect(client.plan({ pairing })).rejects.toMatchObject({ code: 'unknown-pairing' });
  });

  it('keeps at most the configured number of pairings, dropping the one idle longest', async () => {
    let now = 0;
    const { client, start } = setup({ maxPairings: 2, now: () => now });
    const a = await start();
    now = 1;
    const b = await start();
    now = 2;
    await client.plan({ pairing: a });
    now = 3;
    const c = await start();
    await expect(client.plan({ pairing: b })).rejects.toMatchObject({ code: 'unknown-pairing' });
    await client.plan({ pairing: a });
    await client.plan({ pairing: c });
  });

  it('refuses a new pairing when every kept one is running a step', async () => {
    const { client, engines, start } = setup({ maxPairings: 1 });
    const pairing = await start();
    let release!: () => void;
    engines[0].gate = new Promise((r) => (release = r));
    const running = await client.apply({ pairing, plan: PLAN });
    await running.next();
    await expect(start()).rejects.toMatchObject({ code: 'too-many-pairings' });
    release();
    await collect(running);
    await start();
  });
});
