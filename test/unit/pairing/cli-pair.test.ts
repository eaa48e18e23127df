// `carpdeck pair` refuses bad arguments with a message naming the problem, before connecting to anything.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../electron/cli/command.js';
import { pair } from '../../../electron/cli/commands/pair.js';
import { report } from '../../../electron/cli/commands/report.js';

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
