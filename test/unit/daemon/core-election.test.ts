import { describe, expect, it } from 'vitest';
import { ADVERT_SLACK_MS } from '../../../daemon/core/timing.js';
import { Sim } from './sim.js';

const lan = (advskew: number, extra: Record<string, unknown> = {}) => ({ vhid: 1, interface: 'lan', advskew, vips: ['10.0.1.1/24'], ...extra });

describe('carpd core: election between nodes', () => {
  it('elects exactly one master, the one with the lower advskew, and only it holds the VIPs', () => {
    const sim = new Sim();
    const a = sim.add('a', '10.0.1.2', [lan(0)]);
    const b = sim.add('b', '10.0.1.3', [lan(100)]);
    sim.start(a);
    sim.start(b);
    sim.run(10_000);
    expect(sim.stateOf(a, '1@lan')).toBe('MASTER');
    expect(sim.stateOf(b, '1@lan')).toBe('BACKUP');
    expect([...a.vips]).toEqual(['1@lan']);
    expect([...b.vips]).toEqual([]);
  });

  it('takes over after 3 x advbase + advskew/256 s of silence and says from whom', () => {
    const sim = new Sim();
    const a = sim.add('a', '10.0.1.2', [lan(0)]);
    const b = sim.add('b', '10.0.1.3', [lan(100)]);
    sim.start(a);
    sim.start(b);
    sim.run(10_000);
    const lastAdvert = a.sent[a.sent.length - 1].at;
    sim.kill(a);
    sim.run(10_000);
    const took = b.events.find((e) => e.event.kind === 'state' && e.event.new === 'MASTER');
    expect(took?.at).toBeCloseTo(lastAdvert + 3000 + (100 * 1000) / 256, 6);
    expect(took?.event.kind === 'state' && took.event.cause).toBe('BACKUP -> MASTER: no advertisement from 10.0.1.2 for 3.39 s');
  });

  it('a lone node becomes master after its own master-down interval', () => {
    const sim = new Sim();
    const b = sim.add('b', '10.0.1.3', [lan(100)]);
    sim.start(b);
    sim.run(3390);
    expect(sim.stateOf(b, '1@lan')).toBe('BACKUP');
    sim.run(1);
    expect(sim.stateOf(b, '1@lan')).toBe('MASTER');
  });

  it('advertises every advbase + advskew/256 s (+ the 20 ms keepalived slack) as master', () => {
    const sim = new Sim();
    const b = sim.add('b', '10.0.1.3', [lan(100, { advbase: 2 })]);
    sim.start(b);
    sim.run(20_000);
    const times = b.sent.map((s) => s.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps.length).toBeGreaterThan(3);
    for (const g of gaps) expect(g).toBeCloseTo(2000 + (100 * 1000) / 256 + ADVERT_SLACK_MS, 6);
  });

  it('a better node preempts a slower master when preempt is on', () => {
    const sim = new Sim();
    const a = sim.add('a', '10.0.1.2', [lan(0)]);
    const b = sim.add('b', '10.0.1.3', [lan(100)]);
    sim.start(b);
    sim.run(10_000);
    expect(sim.stateOf(b, '1@lan')).toBe('MASTER');
    sim.start(a);
    sim.run(2_000);
    expect(sim.stateOf(a, '1@lan')).toBe('MASTER');
    expect(sim.stateOf(b, '1@lan')).toBe('BACKUP');
    const ev = a.events.find((e) => e.event.kind === 'state' && e.event.new === 'MASTER')!.event;
    expect(ev.cause).toMatch(/^BACKUP -> MASTER: preempting slower master 10\.0\.1\.3/);
  });

  it('a better node stays backup when preempt is false', () => {
    const sim = new Sim();
    const a = sim.add('a', '10.0.1.2', [lan(0, { preempt: false })]);
    const b = sim.add('b', '10.0.1.3', [lan(100)]);
    sim.start(b);
    sim.run(10_000);
    sim.start(a);
    sim.run(20_000);
    expect(sim.stateOf(a, '1@lan')).toBe('BACKUP');
    expect(sim.stateOf(b, '1@lan')).toBe('MASTER');
  });

  it('on equal advbase/advskew the master that hears the other yields (FreeBSD), leaving one master', () => {
    const sim = new Sim();
    const a = sim.add('a', '10.0.1.2', [lan(0)]);
    const b = sim.add('b', '10.0.1.3', [lan(0)]);
    sim.start(a);
    sim.run(3_500);
    expect(sim.stateOf(a, '1@lan')).toBe('MASTER');
    // b starts as a master too (it did not hear a yet), as after a partition heals.
    sim.start(b);
    sim.input(b, { type: 'timer', key: '1@lan', timer: 'master-down' });
    expect(sim.stateOf(b, '1@lan')).toBe('MASTER');
    // b's first advert reached a (master, equal) so a yielded.
    expect(sim.stateOf(a, '1@lan')).toBe('BACKUP');
    expect(a.events.at(-1)?.event.cause).toMatch(/equal advertisement from 10\.0\.1\.3.*master yields/);
    sim.run(20_000);
    const masters = [a, b].filter((n) => sim.stateOf(n, '1@lan') === 'MASTER');
    expect(masters).toHaveLength(1);
  });

  it('two nodes with equal values started together break the tie instead of yielding to each other forever', () => {
    // Adverts take 1 ms on the wire, so the two first adverts cross and both masters yield at once; only a
    // random wait after a tie lets one master-down timer expire first.
    const sim = new Sim(1);
    const a = sim.add('a', '10.0.1.2', [lan(0)]);
    const b = sim.add('b', '10.0.1.3', [lan(0)]);
    sim.start(a);
    sim.start(b);
    sim.run(3_100);
    expect(a.events.map((e) => e.event.kind === 'state' && e.event.new)).toEqual(['BACKUP', 'MASTER', 'BACKUP']);
    expect(b.events.map((e) => e.event.kind === 'state' && e.event.new)).toEqual(['BACKUP', 'MASTER', 'BACKUP']);
    sim.run(20_000);
    const masters = [a, b].filter((n) => sim.stateOf(n, '1@lan') === 'MASTER');
    expect(masters).toHaveLength(1);
    const flips = (n: typeof a) => n.events.filter((e) => e.event.kind === 'state' && e.at > 10_000).length;
    expect(flips(a) + flips(b)).toBe(0);
  });

  it('moves every vhid to the peer when one tracked link of the master fails', () => {
    const sim = new Sim();
    const two = (advskew: number) => [
      { vhid: 1, interface: 'lan', advskew, vips: ['10.0.1.1/24'] },
      { vhid: 2, interface: 'wan', advskew, vips: ['192.0.2.1/24'] },
    ];
    const a = sim.add('a', '10.0.1.2', two(0));
    const b = sim.add('b', '10.0.1.3', two(100));
    sim.start(a);
    sim.start(b);
    sim.run(10_000);
    expect([sim.stateOf(a, '1@lan'), sim.stateOf(a, '2@wan')]).toEqual(['MASTER', 'MASTER']);
    const cut = sim.now;
    sim.input(a, { type: 'link', iface: 'lan', up: false });
    // wan moves at once: a's immediate advert carries the demotion, b sees a more demoted master.
    expect(sim.stateOf(b, '2@wan')).toBe('MASTER');
    expect(sim.stateOf(a, '2@wan')).toBe('BACKUP');
    sim.run(4_000);
    expect(sim.stateOf(b, '1@lan')).toBe('MASTER');
    expect(sim.stateOf(a, '1@lan')).toBe('INIT');
    const lanTakeover = b.events.find((e) => e.event.kind === 'state' && e.event.vhid === 1 && e.event.new === 'MASTER')!;
    expect(lanTakeover.at - cut).toBeLessThanOrEqual(3000 + (100 * 1000) / 256);
    expect(a.events.some((e) => e.event.kind === 'demotion' && e.event.new === 240 && e.event.cause.includes('link down on lan'))).toBe(true);
  });

  it('a vhid whose link returns waits the undemoted master-down interval', () => {
    const sim = new Sim();
    const a = sim.add('a', '10.0.1.2', [lan(100)]);
    sim.start(a);
    sim.input(a, { type: 'link', iface: 'lan', up: false });
    expect(a.state.demotion).toEqual({ 'link:lan': 240 });
    sim.input(a, { type: 'link', iface: 'lan', up: true });
    expect(a.state.demotion).toEqual({});
    expect(a.timers.get('1@lan|master-down')).toBeCloseTo(sim.now + 3000 + (100 * 1000) / 256, 6);
  });

  it('a master going into maintenance bows out, the peer takes over at once and the node does not preempt back', () => {
    const sim = new Sim();
    const a = sim.add('a', '10.0.1.2', [lan(0)]);
    const b = sim.add('b', '10.0.1.3', [lan(100)]);
    sim.start(a);
    sim.start(b);
    sim.run(10_000);
    sim.input(a, { type: 'maintenance', on: true });
    expect(a.sent.at(-1)?.advert).toMatchObject({ advbase: 255, advskew: 255 });
    expect(sim.stateOf(a, '1@lan')).toBe('BACKUP');
    expect(sim.stateOf(b, '1@lan')).toBe('MASTER');
    expect(a.vips.size).toBe(0);
    sim.run(30_000);
    expect(sim.stateOf(a, '1@lan')).toBe('BACKUP');
    sim.input(a, { type: 'maintenance', on: false });
    sim.run(3_000);
    expect(sim.stateOf(a, '1@lan')).toBe('MASTER');
  });

  it('a master put into maintenance with no peer to take over keeps its VIPs, advertising demoted, until one does', () => {
    const sim = new Sim();
    const a = sim.add('a', '10.0.1.2', [lan(0)]);
    sim.start(a);
    sim.run(5_000);
    const eventsBefore = a.events.length;
    sim.input(a, { type: 'maintenance', on: true });
    expect(a.sent.at(-1)?.advert).toMatchObject({ advbase: 255, advskew: 255 });
    sim.run(10_000);
    expect(sim.stateOf(a, '1@lan')).toBe('MASTER');
    expect([...a.vips]).toEqual(['1@lan']);
    expect(a.events.slice(eventsBefore).filter((e) => e.event.kind === 'state')).toEqual([]);
    expect(a.sent.at(-1)?.advert).toMatchObject({ advbase: 1, advskew: 240, demote: 240 });
    expect(a.logs.join('\n')).toMatch(/maintenance: bowed out; keeping the VIPs until a peer takes over/);
    // a peer that starts later takes the VIPs from the node in maintenance at once
    const b = sim.add('b', '10.0.1.3', [lan(100)]);
    sim.start(b);
    sim.run(10_000);
    expect(sim.stateOf(b, '1@lan')).toBe('MASTER');
    expect(sim.stateOf(a, '1@lan')).toBe('BACKUP');
    expect(a.vips.size).toBe(0);
  });

  it('the node in maintenance leaves MASTER only once the peer advertises, and says who took over', () => {
    const sim = new Sim(1);
    const a = sim.add('a', '10.0.1.2', [lan(0)]);
    const b = sim.add('b', '10.0.1.3', [lan(100)]);
    sim.start(a);
    sim.start(b);
    sim.run(10_000);
    sim.input(a, { type: 'maintenance', on: true });
    expect(sim.stateOf(a, '1@lan')).toBe('MASTER');
    sim.run(5);
    expect(sim.stateOf(b, '1@lan')).toBe('MASTER');
    expect(sim.stateOf(a, '1@lan')).toBe('BACKUP');
    const last = a.events.at(-1)?.event;
    expect(last?.kind === 'state' && last.cause).toBe('MASTER -> BACKUP: maintenance mode on: bowed out, and 10.0.1.3 took over');
  });

  it('a node in maintenance with no peer still takes the VIPs after its master-down interval', () => {
    const sim = new Sim();
    const a = sim.add('a', '10.0.1.2', [lan(0)]);
    sim.input(a, { type: 'maintenance', on: true });
    sim.start(a);
    sim.run(3_000 + (240 * 1000) / 256 - 1);
    expect(sim.stateOf(a, '1@lan')).toBe('BACKUP');
    sim.run(2);
    expect(sim.stateOf(a, '1@lan')).toBe('MASTER');
    expect(a.sent.at(-1)?.advert.advskew).toBe(240);
  });
});
