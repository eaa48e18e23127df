// keepalived interop: VRRPv2 and VRRPv3 captures made with real keepalived in network namespaces, decoded by
// `carpdeck analyze` and by TShark; every field must agree and each failover must be explained.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisReport, GroupSummary } from '../../../shared/analysis/types.js';
import { requireRoot } from '../harness/vitest.js';
import { basename, join } from 'node:path';
import { analyse, ARTIFACTS } from './analyse.js';
import { compareVrrp } from './compare.js';
import { flipPayloadBit, mutatePcap, setTtl } from './mutate.js';
import { recordKeepalivedFailover, type VrrpCapture } from './keepalived-scenarios.js';
import { tsharkVrrp } from './tshark.js';

const skip = requireRoot(['keepalived', 'tshark']);

const graceful = [
  { version: 2, family: 4 },
  { version: 3, family: 4 },
  { version: 3, family: 6 },
] as const;
const crashed = { version: 3, family: 6 } as const;

function group(report: AnalysisReport, vrid: number): GroupSummary {
  const g = report.groups.find((x) => x.protocol === 'vrrp' && x.vhid === vrid);
  if (!g) throw new Error(`no vrrp group with VRID ${vrid} in ${JSON.stringify(report.groups.map((x) => x.id))}`);
  return g;
}

const changeList = (g: GroupSummary) => g.changes.map((c) => [c.from, c.to, c.cause]);
const splitBrains = (r: AnalysisReport) => r.findings.filter((f) => f.kind === 'split-brain');

describe.skipIf(skip)('keepalived captures from the namespace lab', () => {
  const stopped = new Map<string, VrrpCapture>();
  let crash: VrrpCapture;

  beforeAll(async () => {
    const [crashCapture, ...recorded] = await Promise.all([
      recordKeepalivedFailover(crashed.version, crashed.family, 'crash'),
      ...graceful.map((c) => recordKeepalivedFailover(c.version, c.family)),
    ]);
    crash = crashCapture;
    graceful.forEach((c, i) => stopped.set(`${c.version}/${c.family}`, recorded[i]));
  });

  describe.each(graceful)('VRRPv$version over IPv$family, master stopped with SIGTERM', ({ version, family }) => {
    const cap = () => stopped.get(`${version}/${family}`)!;

    it('decodes every VRRP field exactly as TShark does, including the stopping master\'s priority-0 advertisement', async () => {
      const c = cap();
      const rows = tsharkVrrp(c.file);
      expect(rows.length).toBeGreaterThanOrEqual(6);
      expect(rows.filter((t) => t.src === c.src.a && t.priority === 0)).toHaveLength(1);
      expect(new Set(rows.map((t) => t.version))).toEqual(new Set([version]));
      const report = await analyse(c.file);
      expect(compareVrrp(rows, report.adverts)).toEqual([]);
    });

    it('agrees with TShark on a real advertisement made bad (a flipped priority bit, TTL 1) and reports both problems', async () => {
      const c = cap();
      const [, corrupted, lowTtl] = tsharkVrrp(c.file);
      const file = join(ARTIFACTS, `${basename(c.file, '.pcap')}.mutated.pcap`);
      // Priority byte: 150 becomes 151 and the checksum goes stale.
      mutatePcap(c.file, file, { [corrupted.frame]: flipPayloadBit(2), [lowTtl.frame]: setTtl(1) });
      const rows = tsharkVrrp(file);
      expect(rows.find((t) => t.frame === corrupted.frame)).toMatchObject({ checksumOk: false, priority: 151 });
      expect(rows.find((t) => t.frame === lowTtl.frame)!.ttl).toBe(1);
      const report = await analyse(file);
      expect(compareVrrp(rows, report.adverts)).toEqual([]);
      const framesOf = (kind: string) => report.findings.filter((f) => f.kind === kind).flatMap((f) => f.frames);
      expect(framesOf('bad-checksum')).toEqual([corrupted.frame]);
      expect(framesOf('bad-ttl')).toEqual([lowTtl.frame]);
    });

    it('reports the graceful stop of the master as a priority-0 handover to the backup', async () => {
      const c = cap();
      const rows = tsharkVrrp(c.file);
      const report = await analyse(c.file);
      const g = group(report, c.vrid);
      expect(changeList(g)).toEqual([
        [null, c.src.a, 'first-seen'],
        [c.src.a, c.src.b, 'priority-zero'],
      ]);
      expect(g.changes[1].frame).toBe(rows.find((t) => t.src === c.src.b)!.frame);
      expect(splitBrains(report)).toEqual([]);
    });
  });

  it.each([
    ['tcpdump on "any": pcap, Linux cooked v2', '.any.pcap'],
    ['dumpcap on "any": pcapng, Linux cooked v1, nanoseconds', '.any.pcapng'],
  ])('decodes the VRRPv3 IPv6 failover captured by %s exactly as TShark does, with the same handover', async (_how, suffix) => {
    const c = stopped.get('3/6')!;
    const file = c.files.find((f) => f.endsWith(suffix))!;
    const rows = tsharkVrrp(file);
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const report = await analyse(file);
    expect(compareVrrp(rows, report.adverts)).toEqual([]);
    expect(changeList(group(report, c.vrid))).toEqual([
      [null, c.src.a, 'first-seen'],
      [c.src.a, c.src.b, 'priority-zero'],
    ]);
  });

  describe(`VRRPv${crashed.version} over IPv${crashed.family}, master crashed and restarted`, () => {
    it('decodes every VRRP field exactly as TShark does; the crashed master sent no priority 0', async () => {
      const rows = tsharkVrrp(crash.file);
      expect(rows.length).toBeGreaterThanOrEqual(8);
      expect(rows.filter((t) => t.priority === 0)).toEqual([]);
      const report = await analyse(crash.file);
      expect(compareVrrp(rows, report.adverts)).toEqual([]);
    });

    it('reports the crash as a takeover after silence (measured gap, VRRP\'s bound) and the return as a preemption', async () => {
      const rows = tsharkVrrp(crash.file);
      const report = await analyse(crash.file);
      const g = group(report, crash.vrid);
      expect(changeList(g)).toEqual([
        [null, crash.src.a, 'first-seen'],
        [crash.src.a, crash.src.b, 'takeover-after-silence'],
        [crash.src.b, crash.src.a, 'preemption'],
      ]);
      const firstOfB = rows.find((t) => t.src === crash.src.b)!;
      const lastOfA = rows.filter((t) => t.src === crash.src.a && t.frame < firstOfB.frame).at(-1)!;
      const returnOfA = rows.find((t) => t.src === crash.src.a && t.frame > firstOfB.frame)!;
      expect(g.changes[1].frame).toBe(firstOfB.frame);
      expect(g.changes[1].gapSeconds).toBeCloseTo(firstOfB.time - lastOfA.time, 3);
      expect(g.changes[1].boundSeconds).toBeCloseTo(3 + (256 - 100) / 256, 3);
      expect(g.changes[2].frame).toBe(returnOfA.frame);
      expect(splitBrains(report)).toEqual([]);
    });
  });
});
