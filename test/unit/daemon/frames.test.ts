import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import { newCoreState } from '../../../daemon/core/state.js';
import { step } from '../../../daemon/core/step.js';
import { frameToInput } from '../../../daemon/runtime/inbound.js';
import { advertFrames, announceFrames } from '../../../daemon/runtime/outbound.js';
import { vhidConfig } from './sim.js';

const addrs = { mac: '02:00:00:00:00:02', addresses: ['10.0.1.2', 'fe80::2'], ipv4: '10.0.1.2', ipv6LinkLocal: 'fe80::2' };
const advert = { vhid: 5, advbase: 1, advskew: 100, demote: 0, counter: 42n };

describe('carpd frames: what the shell sends is what a peer core accepts', () => {
  it('sends one advert per VIP family, TTL 255, to the CARP groups, and a peer accepts both', () => {
    const cfg = vhidConfig({ vhid: 5, interface: 'lan', vips: ['10.0.1.1/24', '2001:db8::1/64'] });
    const built = advertFrames(cfg, advert, addrs);
    if (!built.ok) throw new Error(built.error);
    expect(built.frames).toHaveLength(2);
    let peer = step(newCoreState('peer', [cfg], []), { type: 'link', iface: 'lan', up: true }, { now: 0, random64: () => 1n }).state;
    for (const frame of built.frames) {
      const d = decodeFrame(1, frame);
      expect(d?.ip).toMatchObject({ ttl: 255, dst: d?.ip?.family === 4 ? '224.0.0.18' : 'ff02::12' });
      const input = frameToInput('lan', frame);
      expect(input?.type).toBe('packet');
      peer = step(peer, input!, { now: 1, random64: () => 1n }).state;
    }
    expect(peer.vhids[0].counters).toMatchObject({ received: 2, rejected: {} });
    expect(peer.vhids[0].counter).toBe(42n);
  });

  it('uses the virtual MAC 00:00:5e:00:01:VHID as Ethernet source with virtualMac', () => {
    const cfg = vhidConfig({ vhid: 5, interface: 'lan', virtualMac: true, vips: ['10.0.1.1/24'] });
    const built = advertFrames(cfg, advert, addrs);
    if (!built.ok) throw new Error(built.error);
    expect(decodeFrame(1, built.frames[0])?.link.srcMac).toBe('00:00:5e:00:01:05');
    const ann = announceFrames(cfg, addrs);
    expect(ann.ok && decodeFrame(1, ann.frames[0])?.claim).toEqual({ kind: 'garp', address: '10.0.1.1', mac: '00:00:5e:00:01:05' });
  });

  it('sends unicast adverts to the peer address and MAC', () => {
    const cfg = vhidConfig({ vhid: 5, interface: 'lan', mode: 'unicast', peer: '10.0.1.3', vips: ['10.0.1.1/24'] });
    const built = advertFrames(cfg, advert, addrs, '02:00:00:00:00:03');
    if (!built.ok) throw new Error(built.error);
    const d = decodeFrame(1, built.frames[0]);
    expect(d?.ip?.dst).toBe('10.0.1.3');
    expect(d?.link.dstMac).toBe('02:00:00:00:00:03');
  });

  it('explains a missing source address instead of sending', () => {
    const cfg = vhidConfig({ vhid: 5, interface: 'lan', vips: ['10.0.1.1/24'] });
    expect(advertFrames(cfg, advert, { mac: addrs.mac, addresses: [] })).toEqual({ ok: false, error: 'lan has no IPv4 address to send vhid 5 adverts from' });
  });

  it('announces IPv6 VIPs with an unsolicited neighbour advertisement', () => {
    const cfg = vhidConfig({ vhid: 5, interface: 'lan', vips: ['2001:db8::1/64'] });
    const ann = announceFrames(cfg, addrs);
    expect(ann.ok && decodeFrame(1, ann.frames[0])?.claim).toEqual({ kind: 'unsolicited-na', address: '2001:db8::1', mac: '02:00:00:00:00:02' });
  });

  it('counts a garbage protocol-112 payload instead of failing', () => {
    const cfg = vhidConfig({ vhid: 5, interface: 'lan', vips: ['10.0.1.1/24'] });
    const built = advertFrames(cfg, advert, addrs);
    if (!built.ok) throw new Error(built.error);
    const frame = built.frames[0].slice();
    frame[14 + 20] = 0x99;
    frame[14 + 20 + 3] = 0x42;
    const input = frameToInput('lan', frame);
    expect(input).toMatchObject({ type: 'malformed', reason: 'malformed' });
  });
});
