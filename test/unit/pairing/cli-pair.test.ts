// `carpdeck pair` refuses bad arguments with a message naming the problem, before connecting to anything.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../electron/cli/command.js';
import { describePlan, pair } from '../../../electron/cli/commands/pair.js';
import { proposePlan } from '../../../electron/core/pairing/plan.js';
import { report } from '../../../electron/cli/commands/report.js';
import { preflightReport } from './fixtures.js';

const refused = async (argv: string[]) => {
  const e = await pair(argv).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CliError);
  return (e as CliError).message;
};

describe('carpdeck pair and report arguments', () => {
  it('needs both nodes, named with --primary and --secondary', async () => {
    expect(await refused(['--primary', 'root@192.0.2.1'])).toMatch(/^pair: name both nodes with --primary USER@HOST and --secondary USER@HOST/);
    expect(await refused(['--node', 'root@192.0.2.1', '--node', 'root@192.0.2.2'])).toBe('pair: name the nodes with --primary and --secondary (not --node)');
    expect(await refused(['--primary', 'root@192.0.2.1', '--secondary', 'root@@x'])).toMatch(/is not USER@HOST/);
  });

  it('refuses link loss without the drill, a drill with nothing to probe, and bad numbers', async () => {
    const both = ['--primary', 'root@192.0.2.1', '--secondary', 'root@192.0.2.2'];
    expect(await refused([...both, '--link-loss'])).toBe('pair: --link-loss is part of the drill: add --drill');
    expect(await refused([...both, '--drill'])).toMatch(/^pair: the drill needs --probe-target ADDR/);
    expect(await refused([...both, '--listen', '99'])).toBe('pair: --listen must be a whole number 1..30, got "99"');
    expect(await refused([...both, '--flow-port', 'x', '--probe-target', '192.0.2.9'])).toBe('pair: --flow-port must be a whole number 1..65535, got "x"');
    expect(await refused([...both, '--bogus'])).toMatch(/^pair: unexpected argument "--bogus"/);
  });

  it('takes IPv6 VIPs as --vip6 SEGMENT=ADDRESS/PREFIX, refusing another segment or an address that is not IPv6', async () => {
    const both = ['--primary', 'root@192.0.2.1', '--secondary', 'root@192.0.2.2'];
    expect(await refused([...both, '--vip6', 'dmz=2001:db8:1::1/64'])).toBe('pair: --vip6 takes SEGMENT=ADDRESS/PREFIX with SEGMENT lan or wan (e.g. --vip6 lan=2001:db8:1::1/64), got "dmz=2001:db8:1::1/64"');
    expect(await refused([...both, '--vip6', 'lan=10.0.1.9/24'])).toBe('pair: --vip6 lan=10.0.1.9/24: "10.0.1.9/24" is not an IPv6 address with prefix length such as 2001:db8:1::1/64');
    expect(await refused([...both, '--vip6', 'lan=2001:db8:1::1'])).toMatch(/"2001:db8:1::1" is not an IPv6 address with prefix length/);
    const help: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((t: string) => (help.push(t), true)) as typeof process.stdout.write;
    try {
      expect(await pair(['--help'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(help.join('')).toMatch(/--vip6 SEG=ADDR\/PREFIX +add an IPv6 VIP on segment SEG \(lan or wan\)/);
  });

  it('shows a group kept from an earlier pairing as unchanged, passwords by length only', async () => {
    const report = preflightReport({ carpd: [{ vhid: 1, interface: 'lan', advbase: 1, vips: ['10.0.1.1/24'] }] }, { carpd: [{ vhid: 1, interface: 'lan', advbase: 1, vips: ['10.0.1.1/24'] }] });
    const current = [{ vhid: 1, interface: 'lan', advbase: 1, vips: ['10.0.1.1/24'], password: 'KeepMe0123456789' }];
    const { plan } = await proposePlan(report, { current: { primary: current, secondary: current } });
    const text = describePlan(plan, report);
    expect(text).toMatch(/LAN VIP 10\.0\.1\.1\/24 {2}vhid 1 .* password set \(16 bytes\) {2}kept: the pair runs this group now, it does not change/);
    expect(text).toMatch(/WAN VIP 198\.51\.100\.1\/24 {2}vhid 2 .*bytes\)$/m);
    expect(text).not.toContain('KeepMe0123456789');
  });

  it('report says what is wrong with a file that is not a commissioning report', async () => {
    const e = await report(['/nonexistent/site.json']).then(
      () => undefined,
      (x: unknown) => x as CliError,
    );
    expect(e?.message).toBe('report: cannot read /nonexistent/site.json: ENOENT');
    expect(e?.exitCode).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'pair-report-'));
    try {
      writeFileSync(join(dir, 'x.json'), '{"format": "something else"}');
      await expect(report([join(dir, 'x.json')])).rejects.toThrow(/^report: .*x\.json is not a CarpDeck commissioning report: format: /);
      writeFileSync(join(dir, 'y.json'), 'nope');
      await expect(report([join(dir, 'y.json')])).rejects.toThrow(/y\.json is not JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
