import { describe, expect, it } from 'vitest';
import { newCoreState } from '../../../daemon/core/state.js';
import { step } from '../../../daemon/core/step.js';
import type { Action, CoreInput, CoreState } from '../../../daemon/core/types.js';
import { advert, packet, vhidConfig } from './sim.js';

const cfg = vhidConfig({ vhid: 1, interface: 'lan', advskew: 100, vips: ['10.0.1.1/24'] });
let randoms = 0n;
const ctx = (now = 0) => ({ now, random64: () => 0xabc0n + randoms++ });

function run(state: CoreState, ...inputs: CoreInput[]): { state: CoreState; actions: Action[] } {
  let s = state;
  const actions: Action[] = [];
  for (const i of inputs) {
    const r = step(s, i, ctx());
    s = r.state;
    actions.push(...r.actions);
  }
  return { state: s, actions };
}

const backup = () => run(newCoreState('fw1', [cfg], []), { type: 'link', iface: 'lan', up: true }).state;
const master = () => run(backup(), { type: 'timer', key: '1@lan', timer: 'master-down' }).state;
const sends = (actions: Action[]) => actions.flatMap((a) => (a.type === 'send-advert' ? [a.advert] : []));
const rx = (carp: ReturnType<typeof advert>, opts: { ttl?: number; src?: string; srcMac?: string } = {}): CoreInput => ({
  type: 'packet',
  packet: packet('lan', opts.src ?? '10.0.1.3', carp, opts.ttl ?? 255, opts.srcMac),
});

describe('carpd core: packets, demotion and counters', () => {
  it('does not modify the state it is given, whatever the input', () => {
    const inputs: CoreInput[] = [
      { type: 'timer', key: '1@lan', timer: 'master-down' },
      { type: 'timer', key: '1@lan', timer: 'advert' },
      rx(advert(cfg, { advskew: 0 })),
      rx(advert(cfg, {}, 'wrong')),
      { type: 'link', iface: 'lan', up: false },
      { type: 'demote', by: 10 },
      { type: 'maintenance', on: true },
      { type: 'send-result', key: '1@lan', ok: false },
      { type: 'malformed', iface: 'lan', reason: 'short' },
      { type: 'stop' },
    ];
    for (const start of [backup(), master()]) {
      for (const input of inputs) {
        const snapshot = structuredClone(start);
        step(start, input, ctx());
        expect(start).toEqual(snapshot);
      }
    }
  });

  it('on stop a master sends one bow-out advert (advbase 255, advskew 255), releases its VIPs and goes INIT', () => {
    const { state, actions } = run(master(), { type: 'stop' });
    expect(sends(actions)).toEqual([expect.objectContaining({ advbase: 255, advskew: 255 })]);
    expect(actions).toContainEqual({ type: 'remove-vips', key: '1@lan', config: cfg, delayMs: 150 });
    expect(state.vhids[0].state).toBe('INIT');
  });

  it('a backup hearing a bow-out becomes master at once', () => {
    const { state, actions } = run(backup(), rx(advert(cfg, { advbase: 255, advskew: 255 })));
    expect(state.vhids[0].state).toBe('MASTER');
    expect(actions).toContainEqual({ type: 'add-vips', key: '1@lan', config: cfg });
    const ev = actions.find((a) => a.type === 'event');
    expect(ev?.type === 'event' && ev.event.cause).toBe('BACKUP -> MASTER: master 10.0.1.3 bowed out (advbase 255, advskew 255)');
  });

  it('caps the advertised advskew at 240 and carries the demotion in the demote byte', () => {
    const { actions } = run(master(), { type: 'demote', by: 200 });
    expect(sends(actions).at(-1)).toMatchObject({ advskew: 240, demote: 200 });
    const more = run(master(), { type: 'demote', by: 200 }, { type: 'demote', by: 100 });
    expect(sends(more.actions).at(-1)).toMatchObject({ advskew: 240, demote: 255 });
    const reset = run(more.state, { type: 'demote-reset' });
    expect(sends(reset.actions).at(-1)).toMatchObject({ advskew: 100, demote: 0 });
  });

  it('adds the demotion to the configured advskew below the cap and reports it as an event', () => {
    const { actions } = run(master(), { type: 'set-demotion', reason: 'state-sync', amount: 20, why: 'state sync not ready' });
    expect(sends(actions).at(-1)).toMatchObject({ advskew: 120, demote: 20 });
    const ev = actions.find((a) => a.type === 'event');
    expect(ev?.type === 'event' && ev.event).toEqual({ kind: 'demotion', old: 0, new: 20, cause: 'demoted by 20 to 20 (state sync not ready)' });
  });

  it('demotes after 3 send errors in a row and undoes it after 3 successes', () => {
    const err: CoreInput = { type: 'send-result', key: '1@lan', ok: false, error: 'ENETDOWN' };
    const ok: CoreInput = { type: 'send-result', key: '1@lan', ok: true };
    const two = run(master(), err, err);
    expect(two.state.demotion['send-errors']).toBeUndefined();
    const three = run(two.state, err);
    expect(three.state.demotion['send-errors']).toBe(240);
    const back = run(three.state, ok, ok, ok);
    expect(back.state.demotion['send-errors']).toBeUndefined();
  });

  it('never changes state for an advert with a foreign password, counts and rate-limits the log', () => {
    const foreign = advert(cfg, { advbase: 255, advskew: 255 }, 'other-password');
    const { state, actions } = run(backup(), rx(foreign), rx(foreign), rx(foreign));
    expect(state.vhids[0].state).toBe('BACKUP');
    expect(state.vhids[0].counters.rejected['bad-auth']).toBe(3);
    expect(actions.filter((a) => a.type === 'log')).toHaveLength(1);
    expect(actions.some((a) => a.type === 'event' || a.type === 'set-timer')).toBe(false);
    const asMaster = run(master(), rx(advert(cfg, { advskew: 0 }, 'other-password')));
    expect(asMaster.state.vhids[0].state).toBe('MASTER');
  });

  it('a master hearing a slower master stays master and re-announces its VIPs (split brain healing)', () => {
    const { state, actions } = run(master(), rx(advert(cfg, { advskew: 200 })));
    expect(state.vhids[0].state).toBe('MASTER');
    expect(actions).toEqual([{ type: 'announce', key: '1@lan', config: cfg }]);
  });

  it('ignores an advert with TTL 254 in multicast mode', () => {
    const { state } = run(backup(), rx(advert(cfg, { advbase: 255, advskew: 255 }), { ttl: 254 }));
    expect(state.vhids[0].state).toBe('BACKUP');
    expect(state.vhids[0].counters.rejected['bad-ttl']).toBe(1);
  });

  it('skips the TTL check in unicast mode, as FreeBSD does', () => {
    const uni = vhidConfig({ vhid: 1, interface: 'lan', mode: 'unicast', peer: '10.0.1.3', vips: ['10.0.1.1/24'] });
    const s = run(newCoreState('fw1', [uni], []), { type: 'link', iface: 'lan', up: true }).state;
    const { state } = run(s, rx(advert(uni, { advbase: 255, advskew: 255 }), { ttl: 64 }));
    expect(state.vhids[0].state).toBe('MASTER');
  });

  it('ignores its own packets by source address or source MAC', () => {
    const s = run(backup(), { type: 'interface-info', iface: 'lan', info: { mac: '02:00:00:00:00:01', addresses: ['10.0.1.2', 'fe80::1'] } }).state;
    const bow = advert(cfg, { advbase: 255, advskew: 255 });
    const { state } = run(s, rx(bow, { src: '10.0.1.2' }), rx(bow, { src: '10.0.1.9', srcMac: '02:00:00:00:00:01' }));
    expect(state.vhids[0].state).toBe('BACKUP');
    expect(state.vhids[0].counters.rejected['own-packet']).toBe(2);
  });

  it('rejects in BSD order: checksum, unknown vhid, version', () => {
    const bad = run(
      backup(),
      rx({ ...advert(cfg, {}), checksumOk: false }),
      rx(advert({ ...cfg, vhid: 9 }, {})),
      rx(advert(cfg, { version: 3 })),
    );
    expect(bad.state.vhids[0].counters.rejected).toEqual({ 'bad-checksum': 1, 'bad-version': 1 });
    expect(bad.state.unmatched).toEqual({ 'unknown-vhid': 1 });
  });

  it('sends random counters until a peer advert is accepted, then continues from the peer counter + 1', () => {
    randoms = 0n;
    const m = run(backup(), { type: 'timer', key: '1@lan', timer: 'master-down' }, { type: 'timer', key: '1@lan', timer: 'advert' });
    expect(sends(m.actions).map((a) => a.counter)).toEqual([0xabc0n, 0xabc1n]);
    const heard = run(m.state, rx(advert(cfg, { advskew: 200, counter: 0xffff_ffff_ffff_fffen })), { type: 'timer', key: '1@lan', timer: 'advert' }, { type: 'timer', key: '1@lan', timer: 'advert' });
    expect(sends(heard.actions).map((a) => a.counter)).toEqual([0xffff_ffff_ffff_ffffn, 0n]);
  });

  it('reload leaves unchanged vhids untouched and starts new ones', () => {
    const m = master();
    const added = vhidConfig({ vhid: 2, interface: 'lan', vips: ['10.0.1.5/24'] });
    const { state, actions } = run(m, { type: 'reload', vhids: [cfg, added], trackInterfaces: [] });
    expect(state.vhids.map((v) => [v.key, v.state])).toEqual([
      ['1@lan', 'MASTER'],
      ['2@lan', 'BACKUP'],
    ]);
    expect(actions.some((a) => 'key' in a && a.key === '1@lan')).toBe(false);
  });

  it('reload of a changed master vhid bows out and restarts it', () => {
    const changed = { ...cfg, advskew: 50 };
    const { state, actions } = run(master(), { type: 'reload', vhids: [changed], trackInterfaces: [] });
    expect(sends(actions)[0]).toMatchObject({ advbase: 255, advskew: 255 });
    expect(state.vhids[0]).toMatchObject({ state: 'BACKUP', config: { advskew: 50 } });
  });
});
