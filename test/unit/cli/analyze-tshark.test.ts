import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../../shared/analysis/types.js';

const root = path.resolve(__dirname, '../../..');
const labDir = path.join(root, 'test/fixtures/lab-captures');
const captures = readdirSync(labDir).filter((f) => /\.(pcap|pcapng)$/.test(f));

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const FIELDS = [
  'frame.number', 'frame.time_epoch', 'ip.src', 'ipv6.src', 'eth.src', 'ip.ttl', 'ipv6.hlim',
  'carp.vhid', 'carp.advskew', 'carp.adver_int', 'carp.demotion', 'carp.counter',
  'vrrp.version', 'vrrp.virt_rtr_id', 'vrrp.prio', 'vrrp.adver_int', 'vrrp.short_adver_int', 'vrrp.ip_addr', 'vrrp.ipv6_addr',
  'sll.src.eth',
];

/** TShark's decode of every CARP/VRRP packet (CARP found by its heuristic, so VRRP stays VRRP), as our rows. */
function tsharkRows(file: string) {
  const out = execFileSync('tshark', ['-r', file, '-o', 'ip.try_heuristic_first:TRUE', '-Y', 'carp || vrrp', '-T', 'fields', '-E', 'separator=|', '-E', 'aggregator=,', ...FIELDS.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.trimEnd().split('\n').filter(Boolean).map((line) => {
    const [frame, time, ip4, ip6, mac, ttl4, ttl6, vhid, advskew, advbase, demote, counter, vver, vrid, prio, advInt, shortInt, addr4, addr6, sllMac] = line.split('|');
    const common = { frame: Number(frame), time: Number(time), src: ip4 || ip6, srcMac: mac || sllMac, ttl: Number(ttl4 || ttl6) };
    if (vhid) return { ...common, kind: 'carp', vhid: Number(vhid), advbase: Number(advbase), advskew: Number(advskew), demote: Number(demote), counter };
    return {
      ...common,
      kind: vver === '3' ? 'vrrp3' : 'vrrp2',
      vhid: Number(vrid),
      priority: Number(prio),
      intervalCs: vver === '3' ? Number(shortInt) : Number(advInt) * 100,
      addresses: (addr4 || addr6).split(',').filter(Boolean),
    };
  });
}

beforeAll(() => {
  execFileSync(process.execPath, ['build/bundle.mjs'], { cwd: root, stdio: 'pipe' });
});

describe.skipIf(!hasTshark())('carpdeck analyze --json agrees with TShark on the lab captures (skipped without tshark)', () => {
  it.each(captures)('%s: every advertisement, field by field', (name) => {
    const file = path.join(labDir, name);
    const r = spawnSync(process.execPath, [path.join(root, 'bin/carpdeck.cjs'), 'analyze', '--json', file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const ours = (JSON.parse(r.stdout) as AnalysisReport).adverts;
    const theirs = tsharkRows(file);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.map((a) => a.frame)).toEqual(theirs.map((t) => t.frame));
    ours.forEach((a, i) => {
      const { time, ...fields } = theirs[i];
      expect(a.time).toBeCloseTo(time, 6);
      expect(a).toMatchObject(fields);
    });
  });
});
