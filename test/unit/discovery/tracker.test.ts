import { describe, expect, it } from 'vitest';
import { DiscoveryTracker, type TrackerOptions } from '../../../shared/discovery/tracker.js';
import type { DiscoveryEvent } from '../../../shared/discovery/types.js';
import { carp, every, pfsync, vrrp3, type Input } from './wire.js';

const T0 = 1_800_000_000;
const UCARP_A = { src: '10.0.1.2', mac: '00:00:5e:00:00:0b', vhid: 11, tos: 0x10 };
const UCARP_B = { src: '10.0.1.3', mac: '00:00:5e:00:00:0b', vhid: 11, advskew: 100, tos: 0x10 };
const KA_A = { src: '10.0.1.4', mac: '02:00:00:00:00:04', vrid: 20, priority: 200, addresses: ['10.0.1.20'] };

function tracker(opts: Partial<TrackerOptions> = {}): DiscoveryTracker {
  return new DiscoveryTracker({ started: T0, interface: 'eth0', ...opts });
}

function feedAll(t: DiscoveryTracker, inputs: Input[]): DiscoveryEvent[] {
  const sorted = [...inputs].sort((a, b) => a.frame.tsSec + a.frame.tsNsec / 1e9 - (b.frame.tsSec + b.frame.tsNsec / 1e9));
  return sorted.flatMap((i) => t.feed(i.frame, i.decoded));
}

describe('discovery tracker: groups', () => {
  it('lists one row per CARP vhid and VRRP vrid with its master, values and vendor', () => {
    const t = tracker();
    feedAll(t, [
      ...every(T0, T0 + 5, 1, (x) => carp(x, UCARP_A)),
      ...every(T0 + 0.3, T0 + 5, 1, (x) => vrrp3(x, KA_A)),
    ]);
    const s = t.snapshot(T0 + 5);
    expect(s.groups.map((g) => [g.id, g.kind, g.vhid, g.master?.address])).toEqual([
      ['carp:11', 'carp', 11, '10.0.1.2'],
      ['vrrp:20', 'vrrp3', 20, '10.0.1.4'],
    ]);
    const [c, v] = s.groups;
    expect(c).toMatchObject({ advbase: 1, advskew: 0, state: 'advertising', adverts: 5, announcedInterval: 1, measuredInterval: 1, demoted: false });
    expect(c.master?.vendor.id).toBe('ucarp');
    expect(c.master?.mac).toBe('00:00:5e:00:00:0b');
    expect(v).toMatchObject({ priority: 200, addresses: ['10.0.1.20'], announcedInterval: 1 });
    expect(v.advbase).toBeUndefined();
    expect(v.master?.vendor.id).toBe('keepalived');
    expect(s.nodes).toEqual([]);
  });

  it('guesses FreeBSD kernel CARP from TOS 0xe0 and carpd from TOS 0x10 with IP id 0', () => {
    const t = tracker();
    feedAll(t, [
      carp(T0, { src: '10.0.1.5', mac: '00:00:5e:00:01:05', vhid: 5, tos: 0xe0 }),
      carp(T0, { src: '10.0.1.6', mac: '02:00:00:00:00:06', vhid: 6, tos: 0x10, id: 0 }),
      carp(T0, { src: '10.0.1.7', mac: '00:00:5e:00:01:07', vhid: 7, tos: 0x10 }),
    ]);
    const vendors = t.snapshot(T0 + 1).groups.map((g) => g.master?.vendor.id);
    expect(vendors).toEqual(['freebsd', 'carpd', 'bsd-kernel']);
  });

  it('shows a demoted master and its measured against its announced interval', () => {
    const t = tracker();
    feedAll(t, every(T0, T0 + 10, 2.2, (x) => carp(x, { ...UCARP_A, advbase: 2, advskew: 240 })));
    const g = t.snapshot(T0 + 10).groups[0];
    expect(g.demoted).toBe(true);
    expect(g.announcedInterval).toBeCloseTo(2 + 240 / 256, 6);
    expect(g.measuredInterval).toBeCloseTo(2.2, 6);
    expect(t.snapshot(T0 + 10).findings.map((f) => f.kind)).toContain('demoted');
  });

  it('keeps a per-second advertisement history for the sparkline', () => {
    const t = tracker({ historySeconds: 5 });
    feedAll(t, every(T0, T0 + 3, 0.5, (x) => carp(x, UCARP_A)));
    expect(t.snapshot(T0 + 4).groups[0].history).toEqual([2, 2, 2, 0, 0]);
    expect(t.snapshot(T0 + 5.5).groups[0].history).toEqual([2, 2, 0, 0, 0]);
  });
});

describe('discovery tracker: events', () => {
  it('reports a failover the moment the new master first advertises', () => {
    const t = tracker();
    const first = feedAll(t, [...every(T0, T0 + 5, 1, (x) => carp(x, UCARP_A))]);
    expect(first).toMatchObject([{ kind: 'master', from: null, to: '10.0.1.2', cause: 'first-seen' }]);
    const takeover = carp(T0 + 7.5, UCARP_B);
    const events = t.feed(takeover.frame, takeover.decoded);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'master', group: 'carp:11', from: '10.0.1.2', to: '10.0.1.3', cause: 'takeover-after-silence', time: T0 + 7.5 });
    expect(events[0].seq).toBe(first[0].seq + 1);
    const s = t.snapshot(T0 + 7.6);
    expect(s.groups[0].master?.address).toBe('10.0.1.3');
    expect(s.groups[0].masterChanges).toBe(1);
    expect(s.events.map((e) => e.kind)).toEqual(['master', 'master']);
  });

  it('marks a group silent once its master is quiet past the master-down time, and live again when it speaks', () => {
    const t = tracker();
    feedAll(t, every(T0, T0 + 3, 1, (x) => carp(x, UCARP_A)));
    expect(t.tick(T0 + 4)).toEqual([]);
    const events = t.tick(T0 + 6.5);
    expect(events).toMatchObject([{ kind: 'silent', group: 'carp:11', from: '10.0.1.2' }]);
    expect(t.tick(T0 + 8)).toEqual([]);
    let s = t.snapshot(T0 + 8);
    expect(s.groups[0]).toMatchObject({ state: 'silent', master: null, lastMaster: '10.0.1.2' });
    expect(s.findings.find((f) => f.kind === 'group-silent')?.message).toContain('10.0.1.2');
    feedAll(t, [carp(T0 + 9, UCARP_A)]);
    s = t.snapshot(T0 + 9);
    expect(s.groups[0].state).toBe('advertising');
    expect(s.findings.some((f) => f.kind === 'group-silent')).toBe(false);
  });

  it('numbers capture notes in the same sequence as group events', () => {
    const t = tracker();
    const a = t.note(T0, 'warning', 'interface-down', 'eth0 went down');
    const [b] = feedAll(t, [carp(T0 + 1, UCARP_A)]);
    expect([a.seq, b.seq]).toEqual([1, 2]);
  });
});

describe('discovery tracker: findings', () => {
  it('finds a vhid collision between CARP and VRRP on the same id', () => {
    const t = tracker();
    feedAll(t, [...every(T0, T0 + 3, 1, (x) => carp(x, UCARP_A)), ...every(T0 + 0.5, T0 + 3, 1, (x) => vrrp3(x, { ...KA_A, vrid: 11 }))]);
    const s = t.snapshot(T0 + 3);
    expect(s.groups.map((g) => g.id)).toEqual(['carp:11', 'vrrp:11']);
    const collision = s.findings.find((f) => f.kind === 'vhid-collision');
    expect(collision?.message).toContain('CARP (10.0.1.2) and VRRP (10.0.1.4)');
  });

  it('finds a split brain when two sources advertise as master together', () => {
    const t = tracker();
    feedAll(t, [...every(T0, T0 + 6, 1, (x) => carp(x, UCARP_A)), ...every(T0 + 0.5, T0 + 6, 1, (x) => carp(x, UCARP_B))]);
    expect(t.snapshot(T0 + 6).findings.map((f) => f.kind)).toContain('split-brain');
  });

  it('finds an HMAC mismatch when a password was entered', () => {
    const vips = ['10.0.1.1'];
    const t = tracker({ secrets: [{ vhid: 11, password: 'right', vips }] });
    feedAll(t, [carp(T0, { ...UCARP_A, password: 'right', vips }), carp(T0 + 1, { ...UCARP_B, password: 'wrong', vips })]);
    const findings = t.snapshot(T0 + 1).findings;
    expect(findings.find((f) => f.kind === 'hmac-failure')?.message).toContain('10.0.1.3');
    expect(findings.filter((f) => f.kind === 'hmac-failure')).toHaveLength(1);
  });

  it('finds advertisements that arrive with a TTL other than 255', () => {
    const t = tracker();
    feedAll(t, [carp(T0, { ...UCARP_A, ttl: 254 })]);
    expect(t.snapshot(T0).findings.find((f) => f.kind === 'bad-ttl')?.message).toContain('TTL 254');
  });

  it('says nothing was heard on the interface after the quiet time, with what to check', () => {
    const t = tracker({ quietSeconds: 10 });
    expect(t.snapshot(T0 + 9).findings).toEqual([]);
    const [f] = t.snapshot(T0 + 10).findings;
    expect(f.kind).toBe('no-advertisements');
    expect(f.message).toContain('on eth0 for 10 seconds');
    expect(f.fix).toMatch(/cable.*VLAN.*IGMP snooping.*Wi-Fi/s);
    feedAll(t, [carp(T0 + 11, UCARP_A)]);
    expect(t.snapshot(T0 + 12).findings.some((x) => x.kind === 'no-advertisements')).toBe(false);
  });
});

describe('discovery tracker: state sync', () => {
  it('counts pfsync traffic with its rate over the last 10 s', () => {
    const t = tracker();
    feedAll(t, every(T0, T0 + 10, 0.25, (x) => pfsync(x, '10.0.9.2', '224.0.0.240')));
    const [flow] = t.snapshot(T0 + 9.9).sync;
    expect(flow).toMatchObject({ kind: 'pfsync', src: '10.0.9.2', dst: '224.0.0.240', packets: 40, rate: 4 });
    expect(t.snapshot(T0 + 30).sync[0].rate).toBe(0);
  });
});
