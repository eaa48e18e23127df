// ucarp interop: captures made with real ucarp in network namespaces, decoded by `carpdeck analyze` and by
// TShark (`-d ip.proto==112,carp`); every field must agree, and the analyser must explain what happened.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisReport, GroupSummary, HmacResult } from '../../../shared/analysis/types.js';
import { requireRoot } from '../harness/vitest.js';
import { join } from 'node:path';
import { analyse, analyseText, ARTIFACTS } from './analyse.js';
import { ucarpHmac } from './carp-hmac.js';
import { compareCarp } from './compare.js';
import { flipPayloadBit, mutatePcap, setTtl } from './mutate.js';
import { tsharkCarp, type TsharkCarp } from './tshark.js';
import { recordUcarpFailover, recordUcarpPreemption, recordUcarpWrongPassword, type UcarpCapture } from './ucarp-scenarios.js';

const skip = requireRoot(['ucarp', 'tshark']);

/** The verdict a node holding `password` reaches for a row, recomputed here with node:crypto. */
const hmacWith = (cap: UcarpCapture, password: string) => (t: TsharkCarp): HmacResult =>
  ucarpHmac(password, t.vhid, cap.vip, t.counter) === t.hmac ? 'ok' : 'bad';

function group(report: AnalysisReport, vhid: number): GroupSummary {
  const g = report.groups.find((x) => x.protocol === 'carp' && x.vhid === vhid);
  if (!g) throw new Error(`no carp group with vhid ${vhid} in ${JSON.stringify(report.groups.map((x) => x.id))}`);
  return g;
}

const changeList = (g: GroupSummary) => g.changes.map((c) => [c.from, c.to, c.cause]);
const splitBrains = (r: AnalysisReport) => r.findings.filter((f) => f.kind === 'split-brain');

describe.skipIf(skip)('ucarp captures from the namespace lab', () => {
  let caps: Record<'kill' | 'term' | 'preempt' | 'wrong', UcarpCapture>;

  beforeAll(async () => {
    const [kill, term, preempt, wrong] = await Promise.all([
      recordUcarpFailover('SIGKILL'),
      recordUcarpFailover('SIGTERM'),
      recordUcarpPreemption(),
      recordUcarpWrongPassword(),
    ]);
    caps = { kill, term, preempt, wrong };
  });

  it.each(['kill', 'term', 'preempt', 'wrong'] as const)(
    'decodes every CARP field of the %s capture exactly as TShark does, HMACs checked with the password',
    async (name) => {
      const c = caps[name];
      const rows = tsharkCarp(c.file);
      expect(rows.length).toBeGreaterThanOrEqual(6);
      const report = await analyse(c.file, [`${c.vhid}:${c.password}@${c.vip}`]);
      expect(compareCarp(rows, report.adverts, hmacWith(c, c.password))).toEqual([]);
    },
  );

  it('gives hmac unknown for every advertisement when no secret is given', async () => {
    const rows = tsharkCarp(caps.kill.file);
    const report = await analyse(caps.kill.file);
    expect(compareCarp(rows, report.adverts, () => 'unknown')).toEqual([]);
  });

  describe.each([
    ['SIGKILL', 'kill'],
    ['SIGTERM', 'term'],
  ] as const)('failover after the master gets %s', (signal, name) => {
    it(`verifies every HMAC with the right password (ucarp has no bow-out, ${signal} included)`, () => {
      const c = caps[name];
      const rows = tsharkCarp(c.file);
      expect(rows.map(hmacWith(c, c.password))).toEqual(rows.map(() => 'ok'));
    });

    it('reports the change as a takeover after silence, with the measured gap and CARP\'s bound', async () => {
      const c = caps[name];
      const rows = tsharkCarp(c.file);
      const report = await analyse(c.file);
      const g = group(report, c.vhid);
      expect(changeList(g)).toEqual([
        [null, c.src.a, 'first-seen'],
        [c.src.a, c.src.b, 'takeover-after-silence'],
      ]);
      const lastOfA = rows.filter((t) => t.src === c.src.a).at(-1)!;
      const firstOfB = rows.find((t) => t.src === c.src.b)!;
      const takeover = g.changes[1];
      expect(takeover.frame).toBe(firstOfB.frame);
      expect(takeover.gapSeconds).toBeCloseTo(firstOfB.time - lastOfA.time, 3);
      expect(takeover.boundSeconds).toBeCloseTo(3 + 100 / 256, 3);
      expect(splitBrains(report)).toEqual([]);
    });
  });

  it('marks every advertisement hmac bad and reports an HMAC failure when the password given is wrong', async () => {
    const c = caps.kill;
    const rows = tsharkCarp(c.file);
    const report = await analyse(c.file, [`${c.vhid}:not-the-password@${c.vip}`]);
    expect(compareCarp(rows, report.adverts, () => 'bad')).toEqual([]);
    expect(report.findings.some((f) => f.kind === 'hmac-failure' && f.vhid === c.vhid)).toBe(true);
  });

  it('agrees with TShark on a real advertisement made bad (a flipped counter bit, TTL 1) and reports both problems', async () => {
    const c = caps.kill;
    const [, corrupted, lowTtl] = tsharkCarp(c.file);
    const file = join(ARTIFACTS, 'ucarp-ipv4-failover-sigkill.mutated.pcap');
    // Counter low byte: the checksum goes stale and the HMAC no longer matches.
    mutatePcap(c.file, file, { [corrupted.frame]: flipPayloadBit(15), [lowTtl.frame]: setTtl(1) });
    const rows = tsharkCarp(file);
    expect(rows.find((t) => t.frame === corrupted.frame)!.checksumOk).toBe(false);
    expect(rows.find((t) => t.frame === lowTtl.frame)!.ttl).toBe(1);
    const report = await analyse(file, [`${c.vhid}:${c.password}@${c.vip}`]);
    expect(compareCarp(rows, report.adverts, hmacWith(c, c.password))).toEqual([]);
    const framesOf = (kind: string) => report.findings.filter((f) => f.kind === kind).flatMap((f) => f.frames);
    expect(framesOf('bad-checksum')).toEqual([corrupted.frame]);
    expect(framesOf('bad-ttl')).toEqual([lowTtl.frame]);
  });

  it('verifies the HMAC with the VIP from ucarp\'s gratuitous ARP when the secret names no VIP', async () => {
    const c = caps.kill;
    const rows = tsharkCarp(c.file);
    const report = await analyse(c.file, [`${c.vhid}:${c.password}`]);
    expect(compareCarp(rows, report.adverts, () => 'ok')).toEqual([]);
    expect(group(report, c.vhid).hmacVerifiedWith).toEqual({ addresses: [c.vip], source: 'capture' });
  });

  it('reports the returning node with the lower advskew taking the VIP back as a preemption', async () => {
    const c = caps.preempt;
    const rows = tsharkCarp(c.file);
    const report = await analyse(c.file);
    const g = group(report, c.vhid);
    expect(changeList(g)).toEqual([
      [null, c.src.a, 'first-seen'],
      [c.src.a, c.src.b, 'takeover-after-silence'],
      [c.src.b, c.src.a, 'preemption'],
    ]);
    const firstOfBackA = rows.find((t) => t.src === c.src.a && t.frame > g.changes[1].frame)!;
    expect(g.changes[2].frame).toBe(firstOfBackA.frame);
  });

  describe('a third node with the wrong password on the same vhid', () => {
    it.each([
      ['tcpdump on "any": pcap, Linux cooked v2', '.any.pcap'],
      ['dumpcap on "any": pcapng, Linux cooked v1, nanoseconds', '.any.pcapng'],
    ])('decodes the same traffic captured by %s exactly as TShark does, and still finds the split brain', async (_how, suffix) => {
      const c = caps.wrong;
      const file = c.files.find((f) => f.endsWith(suffix))!;
      const rows = tsharkCarp(file);
      expect(rows.length).toBeGreaterThanOrEqual(6);
      const report = await analyse(file, [`${c.vhid}:${c.password}@${c.vip}`]);
      expect(compareCarp(rows, report.adverts, hmacWith(c, c.password))).toEqual([]);
      expect(splitBrains(report).filter((f) => f.vhid === c.vhid)).toHaveLength(1);
    });

    it('sees hmac ok for the nodes with the right password and bad for the intruder', () => {
      const c = caps.wrong;
      const rows = tsharkCarp(c.file);
      expect(rows.map((t) => [t.src, hmacWith(c, c.password)(t)])).toEqual(rows.map((t) => [t.src, t.src === c.src.c ? 'bad' : 'ok']));
    });

    it('finds the split brain: the original master and the intruder advertise as masters at once', async () => {
      const c = caps.wrong;
      const splits = splitBrains(await analyse(c.file)).filter((f) => f.vhid === c.vhid);
      expect(splits.length).toBeGreaterThan(0);
      expect(splits[0].message).toContain(c.src.a);
      expect(splits[0].message).toContain(c.src.c);
    });

    it('says so in the readable report too: the split brain between both masters and the HMAC failure', async () => {
      const c = caps.wrong;
      const text = await analyseText(c.file, ['--secret', `${c.vhid}:${c.password}@${c.vip}`]);
      const splitLine = text.split('\n').find((l) => /split brain/i.test(l) && l.includes(c.src.a) && l.includes(c.src.c));
      expect(splitLine, text).toBeDefined();
      expect(text).toMatch(/hmac-failure/);
    });

    it('reports an HMAC failure for the intruder\'s advertisements when the right secret is given', async () => {
      const c = caps.wrong;
      const rows = tsharkCarp(c.file);
      const intruderFrames = new Set(rows.filter((t) => t.src === c.src.c).map((t) => t.frame));
      const report = await analyse(c.file, [`${c.vhid}:${c.password}@${c.vip}`]);
      const failures = report.findings.filter((f) => f.kind === 'hmac-failure' && f.vhid === c.vhid);
      expect(failures.length).toBeGreaterThan(0);
      const frames = failures.flatMap((f) => f.frames);
      expect(frames.length).toBeGreaterThan(0);
      expect(frames.filter((f) => !intruderFrames.has(f))).toEqual([]);
    });
  });
});
