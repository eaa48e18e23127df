// The pairing apply checks both logins before touching either node: a secondary whose login has neither root nor
// password-less sudo stops the apply with the sudoers fix, and no node step (snapshot, stage) has run anywhere.
import { describe, expect, it } from 'vitest';
import type { NodeOps } from '../../../electron/core/pairing/apply.js';
import { createPairingEngine } from '../../../electron/core/pairing/index.js';
import { proposePlan } from '../../../electron/core/pairing/plan.js';
import { PrivilegeError } from '../../../electron/core/ssh/privilege.js';
import type { ExecResult, SshSession } from '../../../electron/core/ssh/session.js';
import type { NodeRole, PairStep } from '../../../shared/pairing/schema.js';
import { preflightReport } from '../pairing/fixtures.js';

function login(label: string, privilege: 'root' | 'sudo' | 'none') {
  const ran: string[][] = [];
  const session = {
    label,
    target: { user: label.split('@')[0], host: label.split('@')[1], port: 22 },
    async exec(argv: readonly string[]): Promise<ExecResult> {
      ran.push([...argv]);
      return argv[0] === 'sh' && argv[2].includes('sudo -n true') ? { code: 0, stdout: `${privilege}\n`, stderr: '' } : { code: 1, stdout: '', stderr: 'No such file' };
    },
  } as unknown as SshSession;
  return { session, ran };
}

describe('pairing apply with a login that cannot run commands as root', () => {
  it('is refused before any node is touched, naming the login and the sudoers line', async () => {
    const primary = login('root@fw1', 'root');
    const secondary = login('guest@fw2', 'none');
    const touched: string[] = [];
    const ops = (role: NodeRole): NodeOps => ({
      role,
      label: role,
      snapshot: async () => (touched.push(`snapshot ${role}`), ''),
      stage: async () => (touched.push(`stage ${role}`), ''),
      activate: async () => (touched.push(`activate ${role}`), ''),
      rollback: async () => (touched.push(`rollback ${role}`), ''),
      finish: async () => void touched.push(`finish ${role}`),
    });
    const report = preflightReport();
    const engine = createPairingEngine(
      { primary: primary.session, secondary: secondary.session },
      {
        runPreflight: async () => report,
        identity: async () => ({ key: 'KEY', cert: 'CERT\n', fingerprint: Array.from({ length: 32 }, () => 'AA').join(':') }),
        bundle: async () => ({ version: '0.1.0-test', arch: 'x86_64', artifacts: [] }),
        nodeOps: (role) => ops(role),
      },
    );
    await engine.preflight({}, () => undefined);
    const { plan, problems } = await proposePlan(report, { addressInUse: async () => false });
    expect(problems).toEqual([]);
    const steps: PairStep[] = [];
    const refused = await engine.apply(plan, (s) => void steps.push(s)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PrivilegeError);
    expect((refused as PrivilegeError).fix).toContain('"guest ALL=(ALL) NOPASSWD: ALL"');
    expect(touched).toEqual([]);
    expect(steps.map((s) => [s.phase, s.node, s.status])).toEqual([['plan', 'secondary', 'failed']]);
    expect(steps[0].message).toMatch(/^guest@fw2: applying the plan needs root, but guest is not root/);
    expect(secondary.ran).toHaveLength(1);
  });
});
