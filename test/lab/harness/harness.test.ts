// The harness itself, proved with plain tools and a ucarp pair (the reference CARP peer of every later lab).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { injectCarp } from './inject.js';
import { startKeepalived } from './keepalived.js';
import { checksumOk, ipOf, readPcap } from './pcap.js';
import { analysePing, startPinger } from './pinger.js';
import { startUcarp } from './ucarp.js';
import { requireRoot, useLab } from './vitest.js';
import { sleep, waitFor } from './wait.js';
import type { LabNode } from './lab.js';

describe('analysePing', () => {
  const line = (t: number, seq: number) => `[${t.toFixed(6)}] 64 bytes from 10.0.1.1: icmp_seq=${seq} ttl=64 time=0.05 ms`;
  it('reports the longest run of missing replies as an outage between the replies around it', () => {
    const out = [line(100, 1), line(100.02, 2), '[100.060000] no answer yet for icmp_seq=3', line(101.5, 77), line(101.52, 78)].join('\n');
    const r = analysePing(out, 102, 2);
    expect(r.sent).toBe(78);
    expect(r.received).toBe(4);
    expect(r.outages).toEqual([{ start: 100.02, end: 101.5, seconds: expect.closeTo(1.48, 6), open: false }]);
  });
  it('reads IPv6 replies', () => {
    const v6 = (t: number, seq: number) => `[${t.toFixed(6)}] 64 bytes from 2001:db8:1::1: icmp_seq=${seq} ttl=64 time=0.05 ms`;
    const r = analysePing([v6(1, 1), v6(1.02, 2), v6(2, 50)].join('\n'), 2.01);
    expect(r.received).toBe(3);
    expect(r.outages.map((o) => o.seconds)).toEqual([expect.closeTo(0.98, 6)]);
  });
  it('reports a gap still open at stop, and ignores duplicate replies', () => {
    const out = [line(1, 1), `${line(1.001, 1)} (DUP!)`, line(1.02, 2), '[1.100000] no answer yet for icmp_seq=6'].join('\n');
    const r = analysePing(out, 3, 2);
    expect(r.received).toBe(2);
    expect(r.outages).toEqual([{ start: 1.02, end: 3, seconds: expect.closeTo(1.98, 6), open: true }]);
  });
});

describe.skipIf(requireRoot(['ucarp']))('network-namespace lab', () => {
  let a: LabNode;
  let b: LabNode;
  let c: LabNode;
  const lab = useLab('harness', async (l) => {
    const lan = await l.bridge('lan');
    [a, b, c] = await Promise.all([l.node('a'), l.node('b', { mountNs: true }), l.node('c')]);
    await Promise.all([
      l.link(a, lan, { ifname: 'eth0', addrs: ['10.0.1.2/24', '2001:db8:1::2/64'] }),
      l.link(b, lan, { ifname: 'eth0', addrs: ['10.0.1.3/24', '2001:db8:1::3/64'], mac: '02:00:00:00:01:03' }),
      l.link(c, lan, { ifname: 'eth0', addrs: ['10.0.1.100/24', '2001:db8:1::100/64'] }),
    ]);
  });

  it('connects nodes through the bridge over IPv4 and IPv6 at once (no DAD wait)', async () => {
    const v4 = await lab().exec(c, ['ping', '-c', '1', '-W', '2', '10.0.1.3']);
    expect(v4.code).toBe(0);
    const v6 = await lab().exec(c, ['ping', '-6', '-c', '1', '-W', '2', '2001:db8:1::2']);
    expect(v6.code).toBe(0);
    const link = await lab().execOk(b, ['ip', '-j', 'link', 'show', 'eth0']);
    expect(JSON.parse(link.stdout)[0].address).toBe('02:00:00:00:01:03');
  });

  it('cuts and restores a node link from the bridge side', async () => {
    await lab().linkDown(a, 'eth0');
    const cut = await lab().exec(c, ['ping', '-c', '1', '-W', '1', '10.0.1.2']);
    expect(cut.code).not.toBe(0);
    const state = await lab().execOk(a, ['ip', '-j', 'link', 'show', 'eth0']);
    expect(JSON.parse(state.stdout)[0].flags).toContain('NO-CARRIER');
    await lab().linkUp(a, 'eth0');
    await waitFor('a to answer again', async () => (await lab().exec(c, ['ping', '-c', '1', '-W', '1', '10.0.1.2'])).code === 0);
  });

  it('gives a mountNs node private /run and /var/lib/carpd', async () => {
    const marker = `marker-${process.pid}`;
    await lab().execOk(b, ['sh', '-c', 'echo "$1" > /run/lab-marker', 'sh', marker]);
    const inside = await lab().execOk(b, ['cat', '/run/lab-marker']);
    expect(inside.stdout.trim()).toBe(marker);
    const outside = await lab().exec(a, ['cat', '/run/lab-marker']);
    expect(outside.code).not.toBe(0);
    const lib = await lab().execOk(b, ['findmnt', '-n', '-o', 'FSTYPE', '/var/lib/carpd']);
    expect(lib.stdout.trim()).toBe('tmpfs');
  });

  it('captures a node interface to a pcap file that is complete after stop()', async () => {
    const file = join(lab().dir, 'icmp.pcap');
    const cap = await lab().capture(a, 'eth0', file, 'icmp');
    await lab().execOk(c, ['ping', '-c', '3', '-i', '0.05', '10.0.1.2']);
    await cap.stop();
    const read = await lab().execOk(a, ['tcpdump', '-n', '-r', file]);
    expect(read.stdout.split('\n').filter((l) => l.includes('ICMP echo')).length).toBe(6);
    expect(statSync(file).size).toBeGreaterThan(24);
  });

  it('spawns long-running processes with logs, and kills them', async () => {
    const p = lab().spawn(a, ['sh', '-c', 'echo started; exec sleep 30']);
    await p.waitForOutput(/started/);
    p.kill('SIGKILL');
    expect((await p.exited).signal).toBe('SIGKILL');
    expect(readFileSync(p.logFile, 'utf8')).toContain('started');
  });

  it('measures a ucarp failover (link cut on the master) from the client within ucarp’s known 2–6.5 s', async () => {
    const vip = '10.0.1.1';
    const common = { ifname: 'eth0', vhid: 7, password: 'labpass', vip: `${vip}/24`, advbase: 1 };
    const ua = startUcarp(lab(), a, { ...common, srcip: '10.0.1.2', advskew: 0 });
    await waitFor('ucarp on a to own the VIP', async () => (await lab().addresses(a, 'eth0')).includes(vip), 10_000);
    const ub = startUcarp(lab(), b, { ...common, srcip: '10.0.1.3', advskew: 100 });
    await ub.proc.waitForOutput(/BACKUP/);
    await sleep(1500);
    expect(await lab().addresses(b, 'eth0')).not.toContain(vip);

    const pinger = startPinger(lab(), c, vip);
    await pinger.waitForReply();
    await sleep(300);
    await lab().linkDown(a, 'eth0');
    await waitFor('ucarp on b to take the VIP', async () => (await lab().addresses(b, 'eth0')).includes(vip), 15_000);
    await sleep(500);
    const report = await pinger.stop();
    await lab().linkUp(a, 'eth0');
    writeFileSync(join(lab().dir, 'ucarp-failover.json'), JSON.stringify(report));
    expect(report.outages.some((o) => o.open)).toBe(false);
    // the last advert may precede the cut by up to advbase, so the client can see less than 3.39 s
    expect(report.longest).toBeGreaterThan(2);
    expect(report.longest).toBeLessThan(6.5);
    await Promise.all([ua.proc.stop(), ub.proc.stop()]);
  });

  it('runs a keepalived VRRP pair: the higher priority owns the VIP', async () => {
    const common = { ifname: 'eth0', vrid: 9, vips: ['10.0.1.9/24'], password: 'kapass' };
    const ka = startKeepalived(lab(), a, { ...common, priority: 150 });
    const kb = startKeepalived(lab(), b, { ...common, priority: 100 });
    await waitFor('keepalived on a to own 10.0.1.9', async () => (await lab().addresses(a, 'eth0')).includes('10.0.1.9'), 15_000);
    expect(await lab().addresses(b, 'eth0')).not.toContain('10.0.1.9');
    await Promise.all([ka.stop(), kb.stop()]);
    expect(await lab().addresses(a, 'eth0')).not.toContain('10.0.1.9');
  });

  it('injects CARP adverts with the requested TTL and a valid checksum, and garbage on protocol 112', async () => {
    const file = join(lab().dir, 'inject.pcap');
    const cap = await lab().capture(c, 'eth0', file, 'ip proto 112');
    await injectCarp(lab(), a, { ifname: 'eth0', ttl: 254, vhid: 42, advskew: 7, password: 'x', vips: ['10.0.1.42/24'] });
    await injectCarp(lab(), a, { ifname: 'eth0', garbage: true, count: 3, intervalS: 0.01 });
    await cap.stop();
    const packets = readPcap(file).map(ipOf).filter((p) => p?.proto === 112);
    expect(packets).toHaveLength(4);
    const carp = packets[0]!;
    expect([carp.ttl, carp.dst, carp.payload.length]).toEqual([254, '224.0.0.18', 36]);
    expect([carp.payload[0], carp.payload[1], carp.payload[2]]).toEqual([0x21, 42, 7]);
    expect(checksumOk(carp.payload)).toBe(true);
    expect(packets.slice(1).every((p) => p!.ttl === 255)).toBe(true);
  });
});
