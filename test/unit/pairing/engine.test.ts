// The engine's glue with fakes for the nodes: preflight first, a plan with per-node diffs, apply refusing an invalid
// plan before touching a node, verify reading both nodes, and the report at the end.
import { describe, expect, it } from 'vitest';
import { createPairingEngine, PairingError } from '../../../electron/core/pairing/index.js';
import type { NodeOps } from '../../../electron/core/pairing/apply.js';
import type { NodeStatus } from '../../../electron/core/pairing/status.js';
import type { ExecResult, SshSession } from '../../../electron/core/ssh/session.js';
import { CommissioningReportSchema, type NodeRole, type PairStep } from '../../../shared/pairing/schema.js';
import { preflightReport } from './fixtures.js';

const fp = (b: string) => Array.from({ length: 32 }, () => b).join(':');

function setup(failStage?: NodeRole) {
  const touched: string[] = [];
  const session = (label: string, existing: Record<string, string> = {}) =>
    ({
      label,
      target: { user: 'root', host: label.replace('root@', '192.0.2.'), port: 22 },
      async exec(argv: readonly string[]): Promise<ExecResult> {
        const path = argv[argv.length - 1];
        if (argv[0] === 'sh') return { code: 1, stdout: '', stderr: '' };
        return path in existing ? { code: 0, stdout: existing[path], stderr: '' } : { code: 1, stdout: '', stderr: 'No such file' };
      },
    }) as unknown as SshSession;
  const sessions = { primary: session('root@fw1', { '/etc/carpd/vips.json': '{"vhids": []}\n' }), secondary: session('root@fw2') };
  const ops = (role: NodeRole): NodeOps => ({
    role,
    label: `root@${role}`,
    snapshot: async () => (touched.push(`snapshot ${role}`), 'blank'),
    stage: async () => {
      touched.push(`stage ${role}`);
      if (role === failStage) throw new Error(`no space left on ${role}`);
      return 'staged';
    },
    activate: async () => (touched.push(`activate ${role}`), 'running'),
    rollback: async () => (touched.push(`rollback ${role}`), 'blank again'),
    finish: async () => void touched.push(`finish ${role}`),
  });
  let n = 0;
  const engine = createPairingEngine(sessions, {
    runPreflight: async () => preflightReport(),
    identity: async (node) => ({ key: `KEY-${node}`, cert: `CERT-${node}\n`, fingerprint: fp(['AA', 'BB'][n++ % 2]) }),
    bundle: async () => ({ version: '0.1.0-test', arch: 'x86_64', artifacts: [] }),
    nodeOps: (role) => ops(role),
    status: async (s) =>
      ({
        node: s.label,
        maintenance: false,
        demotion: 0,
        demotionReasons: {},
        vhids: [1, 2].map((vhid) => ({ vhid, interface: vhid === 1 ? 'lan' : 'wan', state: s.label === 'root@fw1' ? 'MASTER' : 'BACKUP', vips: [] })),
        stateSync: { ready: true, readyReason: 'ok', peerReachable: true, conntrackd: { running: true } },
        configSync: { role: 'source', peer: { reachable: true, error: null }, sections: [{ name: 'vips', state: 'in-sync' }] },
      }) as NodeStatus,
  });
  return { engine, touched };
}

describe('pairing engine', () => {
  it('asks for the preflight before it plans', async () => {
    const { engine } = setup();
    await expect(engine.plan()).rejects.toBeInstanceOf(PairingError);
    await expect(engine.plan()).rejects.toThrow(/run the preflight first/);
  });

  it('proposes a plan with each node\'s files as diffs against what is there, the private key never shown', async () => {
    const { engine } = setup();
    await engine.preflight({}, () => undefined);
    const { plan, changes, problems } = await engine.plan();
    expect(problems).toEqual([]);
    expect(changes.map((c) => [c.role, c.files.map((f) => f.path)])).toEqual([
      ['primary', ['/etc/carpd/carpd.json', '/etc/carpd/vips.json', '/etc/carpd/sync/node.crt', '/etc/carpd/sync/node.key']],
      ['secondary', ['/etc/carpd/carpd.json', '/etc/carpd/vips.json', '/etc/carpd/sync/node.crt', '/etc/carpd/sync/node.key']],
    ]);
    const vips = changes[0].files[1];
    expect(vips.before).toBe('{"vhids": []}\n');
    expect(vips.diff).toMatch(/^--- a\/etc\/carpd\/vips.json\n\+\+\+ b\/etc\/carpd\/vips.json\n@@ -1,1 \+1,\d+ @@\n-\{"vhids": \[\]\}\n\+\{/);
    expect(vips.diff).toContain(plan.vips[0].password);
    const conf = changes[1].files[0];
    expect(conf.before).toBeNull();
    expect(conf.diff.startsWith('--- /dev/null\n')).toBe(true);
    expect(conf.after).toContain(fp('AA'));
    const key = changes[0].files[3];
    expect(key.after).not.toContain('KEY-');
    expect(key.diff).not.toContain('KEY-');
  });

  it('refuses an invalid edited plan with its problems and touches no node', async () => {
    const { engine, touched } = setup();
    await engine.preflight({}, () => undefined);
    const { plan } = await engine.plan();
    const bad = { ...plan, vips: [{ ...plan.vips[0], vips: ['10.9.9.9/24'] }] };
    expect((await engine.plan(bad)).problems.join('\n')).toMatch(/10\.9\.9\.9\/24 is not in fw1's lan subnet/);
    const steps: PairStep[] = [];
    await expect(engine.apply(bad, (s) => void steps.push(s))).rejects.toThrow(/the plan cannot be applied: .*10\.9\.9\.9/);
    expect(touched).toEqual([]);
    expect(steps.map((s) => [s.phase, s.status])).toEqual([['plan', 'failed']]);
  });

  it('applies, verifies and reports: every step numbered, the report valid and without the passwords', async () => {
    const { engine, touched } = setup();
    await engine.preflight({}, () => undefined);
    const { plan } = await engine.plan();
    const steps: PairStep[] = [];
    await engine.apply(plan, (s) => void steps.push(s));
    expect(touched).toEqual(['snapshot primary', 'snapshot secondary', 'stage primary', 'stage secondary', 'activate primary', 'activate secondary', 'finish primary', 'finish secondary']);
    const v = await engine.verify((s) => void steps.push(s));
    expect(v.ok).toBe(true);
    await expect(engine.drill({}, () => undefined)).rejects.toThrow(/needs a probe host on the LAN/);
    const report = engine.report();
    expect(CommissioningReportSchema.safeParse(report).success).toBe(true);
    expect(report.carpdeckVersion).toBe('0.1.0-test');
    expect(report.steps.map((s) => s.seq)).toEqual(report.steps.map((_, i) => i));
    expect(report.verify?.ok).toBe(true);
    for (const v of plan.vips) expect(JSON.stringify(report)).not.toContain(v.password);
  });

  it('still reports a failed apply: the rolled-back steps, no verify, no drill', async () => {
    const { engine, touched } = setup('secondary');
    await engine.preflight({}, () => undefined);
    const { plan } = await engine.plan();
    await expect(engine.apply(plan, () => undefined)).rejects.toThrow(/^no space left on secondary; both nodes were rolled back/);
    expect(touched.filter((t) => t.startsWith('rollback'))).toEqual(['rollback secondary', 'rollback primary']);
    await expect(engine.verify(() => undefined)).rejects.toThrow(/apply a plan first/);
    const report = engine.report();
    expect(CommissioningReportSchema.safeParse(report).success).toBe(true);
    expect(report.verify).toBeNull();
    expect(report.steps.filter((s) => s.phase === 'rollback' && s.status === 'done').map((s) => s.node)).toEqual(['secondary', 'primary']);
  });
});
