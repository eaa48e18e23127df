// The engine pairing a pair it paired before, over fake nodes that hold files: plan() reads the vhid groups carpd
// runs and each node's config sync identity through a root session (sudo for a non-root login), keeps them, and so
// proposes files identical to what the nodes have. A node without a usable identity gets a new one.
import { describe, expect, it } from 'vitest';
import { makeIdentity } from '../../../electron/core/pairing/identity.js';
import { createPairingEngine } from '../../../electron/core/pairing/index.js';
import type { ExecResult, SshSession } from '../../../electron/core/ssh/session.js';
import type { ClusterPlan, CurrentVhid, NodeRole, PreflightReport } from '../../../shared/pairing/schema.js';
import { preflightReport } from './fixtures.js';

const SUDO = ['sudo', '-n', '--'];

/** A node whose files are `files`; `login` other than root has password-less sudo. Records every argv it runs. */
function node(login: string, files: Record<string, string>) {
  const calls: string[][] = [];
  const session = {
    label: `${login}@${login === 'root' ? 'fw1' : 'fw2'}`,
    target: { user: login, host: '192.0.2.9', port: 22 },
    async exec(argv: readonly string[]): Promise<ExecResult> {
      calls.push([...argv]);
      if (argv[0] === 'sh') return argv[2].includes('id -u') ? { code: 0, stdout: 'sudo\n', stderr: '' } : { code: 1, stdout: '', stderr: '' };
      const asRoot = SUDO.every((a, i) => argv[i] === a);
      const cmd = asRoot ? argv.slice(SUDO.length) : argv;
      const path = cmd[cmd.length - 1];
      // files under /etc/carpd are root's: a command not run as root cannot read them
      if (login !== 'root' && !asRoot && path.startsWith('/etc/carpd')) return { code: 1, stdout: '', stderr: 'Permission denied' };
      if ((cmd[0] === 'cat' || cmd[0] === 'test') && path in files) return { code: 0, stdout: cmd[0] === 'cat' ? files[path] : '', stderr: '' };
      return { code: 1, stdout: '', stderr: 'No such file' };
    },
  };
  return { calls, session: session as unknown as SshSession };
}

function engineOver(report: PreflightReport, primary: SshSession, secondary: SshSession, made: string[]) {
  return createPairingEngine(
    { primary, secondary },
    {
      runPreflight: async () => report,
      identity: async (host) => (made.push(host), makeIdentity(host)),
      bundle: async () => ({ version: '0.1.0-test', arch: 'x86_64', artifacts: [] }),
    },
  );
}

/** The files `plan` puts on each node (the changes' `after`, with the real private keys). */
async function pairFirst(): Promise<{ plan: ClusterPlan; files: Record<NodeRole, Record<string, string>> }> {
  const identities = { primary: await makeIdentity('fw1'), secondary: await makeIdentity('fw2') };
  const keyed = (role: NodeRole) => ({ '/etc/carpd/sync/node.crt': identities[role].cert, '/etc/carpd/sync/node.key': identities[role].key });
  const engine = engineOver(preflightReport(), node('root', keyed('primary')).session, node('root', keyed('secondary')).session, []);
  await engine.preflight({}, () => undefined);
  const { plan, changes, problems } = await engine.plan();
  expect(problems).toEqual([]);
  const written = (role: NodeRole): Record<string, string> => ({
    ...keyed(role),
    ...Object.fromEntries((changes.find((c) => c.role === role)?.files ?? []).filter((f) => !f.path.endsWith('.key')).map((f) => [f.path, f.after])),
  });
  return { plan, files: { primary: written('primary'), secondary: written('secondary') } };
}

/** The preflight of the pair `plan` made: both nodes run its groups, and their adverts are heard. */
function pairedReport(plan: ClusterPlan): PreflightReport {
  const groups: CurrentVhid[] = plan.vips.map((v) => ({ vhid: v.vhid, interface: v.interfaces.primary, advbase: v.advbase, vips: v.vips }));
  const heard = { lan: plan.vips.filter((v) => v.role === 'lan').map((v) => v.vhid), wan: plan.vips.filter((v) => v.role === 'wan').map((v) => v.vhid) };
  return preflightReport({ carpd: groups, vhidsInUse: heard }, { carpd: groups, vhidsInUse: heard });
}

describe('pairing engine, pairing a pair it paired before', () => {
  it('plans the groups carpd runs (vhids and passwords kept) and the nodes\' own certificates, read as root: no file changes', async () => {
    const first = await pairFirst();
    const primary = node('root', first.files.primary);
    const secondary = node('admin', first.files.secondary);
    const made: string[] = [];
    const engine = engineOver(pairedReport(first.plan), primary.session, secondary.session, made);
    await engine.preflight({}, () => undefined);
    const { plan, changes, problems } = await engine.plan();
    expect(problems).toEqual([]);
    expect(plan.vips.map((v) => [v.vhid, v.password, v.vips, v.kept])).toEqual(first.plan.vips.map((v) => [v.vhid, v.password, v.vips, true]));
    expect(made).toEqual([]);
    expect(changes.map((c) => [c.role, c.files.map((f) => [f.path, f.diff])])).toEqual(
      (['primary', 'secondary'] as const).map((role) => [role, ['/etc/carpd/carpd.json', '/etc/carpd/vips.json', '/etc/carpd/sync/node.crt', '/etc/carpd/sync/node.key'].map((p) => [p, ''])]),
    );
    expect(JSON.stringify(changes)).not.toContain('PRIVATE KEY');
    expect(secondary.calls).toContainEqual([...SUDO, 'cat', '--', '/etc/carpd/vips.json']);
    expect(secondary.calls).toContainEqual([...SUDO, 'cat', '--', '/etc/carpd/sync/node.key']);
  });

  it('makes a new certificate only for a node whose own is gone, and the other node keeps its', async () => {
    const first = await pairFirst();
    const { ['/etc/carpd/sync/node.key']: _gone, ...withoutKey } = first.files.secondary;
    const made: string[] = [];
    const engine = engineOver(pairedReport(first.plan), node('root', first.files.primary).session, node('root', withoutKey).session, made);
    await engine.preflight({}, () => undefined);
    const { plan, changes } = await engine.plan();
    expect(plan.vips.every((v) => v.kept)).toBe(true);
    expect(made).toEqual(['fw2']);
    const diff = (role: NodeRole, path: string) => changes.find((c) => c.role === role)?.files.find((f) => f.path === path)?.diff;
    expect(diff('primary', '/etc/carpd/sync/node.crt')).toBe('');
    expect(diff('secondary', '/etc/carpd/sync/node.crt')).not.toBe('');
    expect(diff('primary', '/etc/carpd/sync/node.key')).toBe('');
    expect(diff('secondary', '/etc/carpd/sync/node.key')).toMatch(/^--- \/dev\/null\n/);
    // the primary pins the secondary's new certificate; the secondary still pins the primary's
    expect(diff('primary', '/etc/carpd/carpd.json')).not.toBe('');
    expect(diff('secondary', '/etc/carpd/carpd.json')).toBe('');
  });
});
