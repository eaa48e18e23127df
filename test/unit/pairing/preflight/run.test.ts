import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPreflight } from '../../../../electron/core/pairing/preflight/index.js';
import type { PreflightCheck } from '../../../../shared/pairing/schema.js';
import { FakeSession, has } from './fake-session.js';

const fw1 = readFileSync(join(import.meta.dirname, 'fixtures', 'inventory-lab-fw1.txt'), 'utf8');
// the same node as fw2: its own addresses, and no tcpdump
const fw2 = fw1.replace(/"fw1"|\bfw1\b/g, 'fw2').replace(/10\.0\.(\d)\.2\b/g, '10.0.$1.3').replace('198.51.100.2', '198.51.100.3').replace('100.64.200.11', '100.64.200.12').replace(/^tcpdump .*\n/m, '');

function node(label: string, inventoryText: string): FakeSession {
  return new FakeSession(label, [
    [has('@@uname'), { stdout: inventoryText }],
    [has('date', '+%s%N'), () => ({ stdout: `${BigInt(Date.now()) * 1_000_000n}\n` })],
    [has('nft', 'ruleset'), { stdout: '{"nftables": [{"metainfo": {"version": "1.0.6"}}]}' }],
  ]);
}

describe('runPreflight', () => {
  it('reports every check through progress as it goes, maps the roles, and warns (not fails) when a node lacks tcpdump', async () => {
    const primary = node('root@100.64.200.11', fw1);
    const secondary = node('root@100.64.200.12', fw2);
    const streamed: PreflightCheck[] = [];
    const report = await runPreflight({ primary, secondary }, { bundle: { arch: 'x86_64', glibc: '2.28' } }, (c) => streamed.push(c));
    expect(streamed).toEqual(report.checks);
    expect(report.checks.map((c) => `${c.id}${c.node ? `/${c.node}` : ''}${c.segment ? `/${c.segment}` : ''}:${c.status}`)).toEqual([
      'os/primary:pass', 'privileges/primary:pass', 'packages/primary:pass', 'test-tools/primary:pass', 'interfaces/primary:pass',
      'os/secondary:pass', 'privileges/secondary:pass', 'packages/secondary:pass', 'test-tools/secondary:warn', 'interfaces/secondary:pass',
      'clock/primary:pass', 'clock/secondary:pass',
      'nat/primary:pass', 'conntrack-accounting/primary:warn', 'nat/secondary:pass', 'conntrack-accounting/secondary:warn',
      'interface-mapping:pass', 'sync-interface:pass', 'vip-subnet/lan:pass', 'vip-subnet/wan:pass',
      'vhid-free/lan:warn', 'multicast/lan:warn', 'virtual-mac/lan:skipped', 'vhid-free/wan:warn', 'multicast/wan:warn', 'virtual-mac/wan:skipped',
    ]);
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.id === 'multicast')).toMatchObject({ detail: 'not tested: tcpdump, python3 or root is missing on the secondary', fix: expect.stringContaining('install tcpdump and python3') });
    expect(report.nodes.map((n) => [n.target, n.hostname, n.roles, n.vhidsInUse])).toEqual([
      ['root@100.64.200.11', 'fw1', { lan: 'lan', wan: 'wan', sync: 'sync' }, { lan: [], wan: [] }],
      ['root@100.64.200.12', 'fw2', { lan: 'lan', wan: 'wan', sync: 'sync' }, { lan: [], wan: [] }],
    ]);
    expect(report.nodes[0].hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    // nothing but reading commands ran: the inventory, the clock and the ruleset
    for (const s of [primary, secondary]) expect(s.ran.map((a) => a[0].split('/').pop())).toEqual(['sh', 'date', 'date', 'date', 'nft']);
  });
});
