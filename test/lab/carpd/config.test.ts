// carpd refuses malformed config files with a message naming the file and the field, never a stack trace.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carpdBin, run } from '../harness/index.js';
import { skipCarpdLab } from './common.js';

const valid = { node: 'fw1', vhids: [{ vhid: 1, interface: 'lan', advbase: 1, advskew: 0, password: 'pw', vips: ['10.0.1.1/24'] }] };
const withVhid = (patch: Record<string, unknown>) => JSON.stringify({ ...valid, vhids: [{ ...valid.vhids[0], ...patch }] });

const cases: { name: string; text: string; expect: RegExp[] }[] = [
  { name: 'broken JSON', text: '{"node": "fw1",\n  "vhids": [', expect: [/:2:\d+: not valid JSON/] },
  { name: 'advskew out of range', text: withVhid({ advskew: 300 }), expect: [/vhids\[0\]\.advskew/, /0\.\.254/, /300/] },
  { name: 'a VIP without prefix length', text: withVhid({ vips: ['10.0.1.1'] }), expect: [/vhids\[0\]\.vips\[0\]/, /prefix length/] },
  { name: 'a misspelt field', text: withVhid({ advskw: 10 }), expect: [/vhids\[0\]/, /"advskw"/] },
  { name: 'a missing node name', text: JSON.stringify({ vhids: valid.vhids }), expect: [/node/, /required/] },
  { name: 'no vhids', text: JSON.stringify({ node: 'fw1', vhids: [] }), expect: [/vhids/, /at least one vhid/] },
  { name: 'vhid 0', text: withVhid({ vhid: 0 }), expect: [/vhids\[0\]\.vhid/, /1\.\.255/] },
];

describe.skipIf(skipCarpdLab())('carpd with a malformed config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carpd-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(cases)('exits non-zero naming the problem for $name', async ({ name, text, expect: patterns }) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, text);
    const r = await run([process.execPath, carpdBin, '--config', file], { timeoutMs: 10_000 });
    expect(r.signal).toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(file);
    for (const p of patterns) expect(r.stderr).toMatch(p);
    expect(r.stderr + r.stdout).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // no stack trace
  });

  it('exits non-zero naming the file when it cannot be read', async () => {
    const file = join(dir, 'missing.json');
    const r = await run([process.execPath, carpdBin, '--config', file], { timeoutMs: 10_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${file}: cannot read`);
  });
});
