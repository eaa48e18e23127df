import { describe, expect, it } from 'vitest';
import { makeIdentity, readIdentity } from '../../../electron/core/pairing/identity.js';
import { SYNC_CERT, SYNC_KEY } from '../../../electron/core/pairing/node-files.js';
import { readCurrentCarpd } from '../../../electron/core/pairing/preflight/facts.js';

/** A node whose files are these (path -> content); `cat` of anything else fails. */
const node = (files: Record<string, string>) => ({
  exec: async (argv: readonly string[]) => {
    const path = argv.at(-1)!;
    return path in files ? { code: 0, stdout: files[path], stderr: '' } : { code: 1, stdout: '', stderr: `cat: ${path}: No such file or directory` };
  },
});

describe('what a pair paired before already has', () => {
  it('reads back the config sync identity a node has, and refuses a key of another certificate, an expired one or none', async () => {
    const [a, b] = await Promise.all([makeIdentity('fw1'), makeIdentity('fw2')]);
    expect(await readIdentity(node({ [SYNC_CERT]: a.cert, [SYNC_KEY]: a.key }))).toEqual(a);
    expect(await readIdentity(node({ [SYNC_CERT]: a.cert, [SYNC_KEY]: b.key }))).toBeUndefined();
    expect(await readIdentity(node({ [SYNC_CERT]: a.cert, [SYNC_KEY]: a.key }), Date.now() + 11 * 365 * 86_400_000)).toBeUndefined();
    expect(await readIdentity(node({ [SYNC_CERT]: a.cert }))).toBeUndefined();
    expect(await readIdentity(node({ [SYNC_CERT]: 'not a certificate', [SYNC_KEY]: a.key }))).toBeUndefined();
  });

  it('reads the vhid groups carpd runs with their passwords, and null on a node without carpd', async () => {
    const vips = { vhids: [{ vhid: 1, interface: 'lan', advbase: 1, advskew: 100, password: 'Pw0123456789abcd', vips: ['10.0.1.1/24'] }] };
    const paired = node({ '/etc/carpd/carpd.json': '{"node": "fw2", "vhidsFile": "vips.json"}', '/etc/carpd/vips.json': JSON.stringify(vips) });
    expect(await readCurrentCarpd(paired)).toEqual([{ vhid: 1, interface: 'lan', advbase: 1, password: 'Pw0123456789abcd', vips: ['10.0.1.1/24'] }]);
    expect(await readCurrentCarpd(node({}))).toBeNull();
  });
});
