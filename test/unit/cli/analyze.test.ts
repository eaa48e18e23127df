import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../../shared/analysis/types.js';
import { fixtureCapture, PASSWORD, T0, VIP } from './analyze-fixture.js';

const root = path.resolve(__dirname, '../../..');
let dir: string;
let capture: string;
const fixture = fixtureCapture();
const labDir = path.join(root, 'test/fixtures/lab-captures');
const labCaptures = readdirSync(labDir).filter((f) => /\.(pcap|pcapng)$/.test(f));

function carpdeck(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/carpdeck.cjs'), 'analyze', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  execFileSync(process.execPath, ['build/bundle.mjs'], { cwd: root, stdio: 'pipe' });
  dir = mkdtempSync(path.join(tmpdir(), 'carpdeck-analyze-cli-'));
  capture = path.join(dir, 'pair.pcap');
  writeFileSync(capture, fixture.bytes);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('carpdeck analyze --json', () => {
  it('prints one JSON object with every advertisement, the groups with their changes and the findings', () => {
    const r = carpdeck(capture, '--json', '--secret', `1:${PASSWORD}@${VIP}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as AnalysisReport;
    const carp = report.adverts.filter((a) => a.kind === 'carp');
    expect(carp.map((a) => a.frame)).toEqual(fixture.carpFrames);
    expect(carp[0]).toEqual({
      frame: 2, time: T0 + 0.1, kind: 'carp', src: '10.0.1.1', srcMac: '00:00:5e:00:01:01', dst: '224.0.0.18', ttl: 255, vhid: 1, group: 'carp:1',
      checksumOk: true, advbase: 1, advskew: 0, demote: 0, counter: '100', hmac: 'ok',
    });
    expect(carp.every((a) => a.hmac === 'ok')).toBe(true);
    const vrrp = report.adverts.find((a) => a.kind === 'vrrp3')!;
    expect(vrrp).toMatchObject({ frame: 3, vhid: 42, priority: 200, intervalCs: 100, addresses: ['10.0.2.100'], checksumOk: true });
    expect(report.adverts.map((a) => a.frame)).toEqual([...report.adverts.map((a) => a.frame)].sort((a, b) => a - b));
    expect(report.sync).toEqual([
      { frame: fixture.pfsyncFrame, time: T0 + 12.5, kind: 'pfsync', src: '10.0.9.1', dst: '224.0.0.240', version: 6, inserted: 1, updated: 2, deleted: 3, bulkStart: false, bulkEnd: false },
    ]);
    const g = report.groups.find((x) => x.id === 'carp:1')!;
    expect(g.changes.map((c) => [c.cause, c.from, c.to, c.frame])).toEqual([
      ['first-seen', null, '10.0.1.1', 2],
      ['takeover-after-silence', '10.0.1.1', '10.0.1.2', fixture.takeoverFrame],
    ]);
    expect(g.changes[1].gapSeconds).toBeCloseTo(3.4, 5);
    expect(g.hmacVerifiedWith).toEqual({ addresses: [VIP], source: 'given' });
    expect(report.groups.map((x) => x.id)).toEqual(['carp:1', 'vrrp:42']);
    expect(report.capture).toEqual({ packets: fixture.packets, firstTime: T0, lastTime: fixture.lastTime, format: 'pcap', linkTypes: [1] });
    expect(report.findings).toEqual([]);
  });

  it('verifies the HMAC with the VIP that a gratuitous ARP reveals when --secret names no VIP', () => {
    const report = JSON.parse(carpdeck(capture, '--json', `--secret=1:${PASSWORD}`).stdout) as AnalysisReport;
    expect(report.adverts.filter((a) => a.kind === 'carp').every((a) => a.hmac === 'ok')).toBe(true);
    expect(report.groups[0].hmacVerifiedWith).toEqual({ addresses: [VIP], source: 'capture' });
  });

  it('marks HMACs bad and reports the failure with a wrong password', () => {
    const report = JSON.parse(carpdeck(capture, '--json', '--secret', `1:wrong@${VIP}`).stdout) as AnalysisReport;
    expect(new Set(report.adverts.filter((a) => a.kind === 'carp').map((a) => a.hmac))).toEqual(new Set(['bad']));
    expect(report.findings.filter((f) => f.kind === 'hmac-failure').map((f) => f.vhid)).toEqual([1, 1]);
  });

  it('finds the split brain and the HMAC failure in the ucarp wrong-password lab capture', () => {
    const file = path.join(root, 'test/fixtures/lab-captures/ucarp-ipv4-wrong-password.pcap');
    const r = carpdeck(file, '--json', '--secret', '13:secret');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as AnalysisReport;
    const kinds = report.findings.map((f) => f.kind);
    expect(kinds).toContain('split-brain');
    expect(kinds).toContain('hmac-failure');
    expect(report.findings.find((f) => f.kind === 'hmac-failure')!.message).toContain('10.77.13.3');
    expect(report.groups[0].hmacVerifiedWith).toEqual({ addresses: ['10.77.13.100'], source: 'capture' });
  });
});

describe('carpdeck analyze on captures of real ucarp and keepalived peers', () => {
  it.each([
    ['ucarp-ipv4-failover-sigkill.pcap', ['first-seen', 'takeover-after-silence']],
    ['ucarp-ipv4-failover-sigterm.pcap', ['first-seen', 'takeover-after-silence']],
    ['ucarp-ipv4-preemption.pcap', ['first-seen', 'takeover-after-silence', 'preemption']],
    ['keepalived-vrrp2-ipv4-failover.pcap', ['first-seen', 'priority-zero']],
    ['keepalived-vrrp3-ipv4-failover.pcap', ['first-seen', 'priority-zero']],
    ['keepalived-vrrp3-ipv6-failover.pcap', ['first-seen', 'priority-zero']],
    ['keepalived-vrrp3-ipv6-crash-and-return.pcap', ['first-seen', 'takeover-after-silence', 'preemption']],
  ])('%s: the changes of master and their causes', (name, causes) => {
    const r = carpdeck(path.join(root, 'test/fixtures/lab-captures', name), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as AnalysisReport;
    expect(report.groups).toHaveLength(1);
    expect(report.groups[0].changes.map((c) => c.cause)).toEqual(causes);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('carpdeck analyze (readable report)', () => {
  it('shows the capture, the group timeline with causes, and findings with fixes', () => {
    const r = carpdeck(path.join(root, 'test/fixtures/lab-captures/ucarp-ipv4-wrong-password.pcap'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ucarp-ipv4-wrong-password\.pcap: pcap, \d+ packets \(Ethernet\)/);
    expect(r.stdout).toContain('Group carp:13 (CARP vhid 13, IPv4)');
    expect(r.stdout).toContain('first master seen: 10.77.13.1');
    expect(r.stdout).toMatch(/ERROR\s+split-brain/);
    expect(r.stdout).toContain('Fix:');
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('names the takeover and its gap against the protocol bound', () => {
    const r = carpdeck(capture);
    expect(r.stdout).toContain('takeover after silence: 10.0.1.2 took over 3.40 s after 10.0.1.1');
    expect(r.stdout).toContain('bound 3.39 s');
    expect(r.stdout).toContain('No findings');
  });
});

describe('carpdeck analyze errors', () => {
  it('rejects a file that is not a capture with one line and exit status 1', () => {
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'this is not a capture at all\n');
    const r = carpdeck(file, '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('not a pcap or pcapng file');
    expect(r.stderr).not.toMatch(/\bat .*\.(c|m)?js/);
  });

  it('reports a truncated capture as an error after printing the report of what was read', () => {
    const file = path.join(dir, 'cut.pcap');
    writeFileSync(file, fixture.bytes.subarray(0, fixture.bytes.length - 10));
    const r = carpdeck(file, '--json');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/truncated|cut short|ends/i);
    const report = JSON.parse(r.stdout) as AnalysisReport;
    expect(report.capture.error?.code).toBe('truncated');
    expect(report.adverts.length).toBeGreaterThan(10);
  });

  it('names a missing file', () => {
    const r = carpdeck(path.join(dir, 'nope.pcap'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`carpdeck: analyze: ${path.join(dir, 'nope.pcap')}: no such file; check the path\n`);
  });

  it('names a directory given as the file', () => {
    const r = carpdeck(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is a directory');
  });

  it.each([
    ['1', 'has no password'],
    ['0:pw', 'is not a vhid'],
    ['300:pw', 'is not a vhid'],
    ['1:pw@10.0.1.300', '"10.0.1.300" is not an IPv4 or IPv6 address'],
    ['1:@10.0.0.1', 'empty password'],
  ])('rejects --secret %s with one line and exit status 2', (secret, text) => {
    const r = carpdeck(capture, '--secret', secret);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(text);
  });

  it('explains the options with --help', () => {
    const r = carpdeck('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--secret VHID:PASSWORD[@VIP[,VIP...]]');
  });
});

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

describe.skipIf(!hasTshark())('carpdeck analyze --json agrees with TShark on the lab captures (skipped without tshark)', () => {
  it.each(labCaptures)('%s: every advertisement, field by field', (name) => {
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
