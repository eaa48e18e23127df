import type { CarpdStatus } from '../../../daemon/control/protocol.js';

type Vhid = CarpdStatus['vhids'][number];

export function vhid(over: Partial<Vhid> = {}): Vhid {
  return {
    vhid: 1,
    interface: 'lan',
    state: 'BACKUP',
    advbase: 1,
    advskew: 0,
    advskewSent: 0,
    demotion: 0,
    demote: 0,
    preempt: true,
    mode: 'multicast',
    vips: ['10.0.1.1/24'],
    master: null,
    lastHeardSecondsAgo: null,
    sent: 0,
    received: 0,
    rejected: {},
    ...over,
  };
}

export function status(node: string, vhids: Vhid[], over: Partial<CarpdStatus> = {}): CarpdStatus {
  return { node, pid: 100, maintenance: false, demotion: 0, demotionReasons: {}, unmatched: {}, vhids, ...over };
}
