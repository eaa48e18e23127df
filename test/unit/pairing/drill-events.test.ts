import { describe, expect, it } from 'vitest';
import { becameMaster } from '../../../electron/core/pairing/drill.js';
import { parseEvents } from '../../../electron/core/pairing/status.js';
import { proposePlan } from '../../../electron/core/pairing/plan.js';
import { preflightReport } from './fixtures.js';

const plan = (await proposePlan(preflightReport())).plan;
const [lan, wan] = plan.vips;

const line = (seq: number, vhid: number, iface: string, to: string) =>
  JSON.stringify({ seq, time: '2026-11-26T09:00:00.000Z', kind: 'state', vhid, interface: iface, old: 'BACKUP', new: to, cause: 'test' });

describe('the drill confirms a short takeover from the node\'s own event log', () => {
  it('reads the event lines of carpctl events --json and skips anything else', () => {
    const events = parseEvents(['carpctl: warning', line(7, lan.vhid, lan.interfaces.secondary, 'MASTER'), '', '{"no":"seq"}'].join('\n'));
    expect(events.map((e) => e.seq)).toEqual([7]);
  });

  it('counts a takeover only when the node became MASTER of every watched VIP on its own interface for it', () => {
    const tookLan = parseEvents(line(8, lan.vhid, lan.interfaces.secondary, 'MASTER'));
    expect(becameMaster('secondary', tookLan, [lan])).toBe(true);
    expect(becameMaster('secondary', tookLan, [lan, wan])).toBe(false);
    // the same vhid on another interface, or a move to BACKUP, is not this takeover
    expect(becameMaster('secondary', parseEvents(line(9, lan.vhid, 'other0', 'MASTER')), [lan])).toBe(false);
    expect(becameMaster('secondary', parseEvents(line(10, lan.vhid, lan.interfaces.secondary, 'BACKUP')), [lan])).toBe(false);
    expect(becameMaster('secondary', [], [lan])).toBe(false);
  });
});
