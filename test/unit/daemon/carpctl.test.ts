import { describe, expect, it } from 'vitest';
import { parseCarpctlArgs } from '../../../daemon/cli/args.js';
import { formatEvent, formatStatus } from '../../../daemon/cli/format.js';

describe('carpctl arguments', () => {
  it('maps each command to its control request', () => {
    expect(parseCarpctlArgs(['--socket', '/tmp/x.sock', 'status', '--json'])).toEqual({ ok: true, socket: '/tmp/x.sock', json: true, req: { cmd: 'status' } });
    expect(parseCarpctlArgs(['events', '--follow', '--since', '12'])).toMatchObject({ ok: true, socket: '/run/carpd.sock', req: { cmd: 'events', since: 12, follow: true } });
    expect(parseCarpctlArgs(['maintenance', 'off'])).toMatchObject({ req: { cmd: 'maintenance', on: false } });
    expect(parseCarpctlArgs(['demote', '-50'])).toMatchObject({ req: { cmd: 'demote', by: -50 } });
    expect(parseCarpctlArgs(['demote', '--reset'])).toMatchObject({ req: { cmd: 'demote-reset' } });
    expect(parseCarpctlArgs(['reload'])).toMatchObject({ req: { cmd: 'reload' } });
    expect(parseCarpctlArgs(['sync-states', '--resync'])).toMatchObject({ req: { cmd: 'state-sync-resync' } });
    expect(parseCarpctlArgs(['sync-states'])).toMatchObject({ req: { cmd: 'status' }, view: 'state-sync' });
  });

  it('explains what is wrong with bad arguments', () => {
    expect(parseCarpctlArgs(['maintenance', 'maybe'])).toEqual({ ok: false, message: 'maintenance needs "on" or "off"' });
    expect(parseCarpctlArgs(['demote', 'lots'])).toMatchObject({ ok: false, message: expect.stringContaining('demote needs a whole number') });
    expect(parseCarpctlArgs(['events', '--since', 'x'])).toMatchObject({ ok: false, message: '--since needs a sequence number (0 or more)' });
    expect(parseCarpctlArgs(['stauts'])).toEqual({ ok: false, message: 'unknown command "stauts"' });
    expect(parseCarpctlArgs([])).toEqual({ ok: false, message: 'no command given' });
  });
});

describe('carpctl output', () => {
  it('shows per vhid the state, configured and sent skew, master, and rejections by reason', () => {
    const text = formatStatus({
      node: 'fw2',
      pid: 42,
      maintenance: false,
      demotion: 240,
      demotionReasons: { 'link:wan': 240 },
      unmatched: { 'unknown-vhid': 3 },
      vhids: [
        { vhid: 1, interface: 'lan', state: 'BACKUP', advbase: 1, advskew: 100, advskewSent: 240, demotion: 240, demote: 240, preempt: true, mode: 'multicast', vips: ['10.0.1.1/24'], master: '10.0.1.2', lastHeardSecondsAgo: 0.5, sent: 0, received: 9, rejected: { 'bad-auth': 2 } },
      ],
    });
    expect(text).toContain('demotion 240 (link:wan +240)');
    expect(text).toMatch(/1\s+lan\s+BACKUP\s+1\s+100\s+240\s+240\s+10\.0\.1\.2\s+0\.50 s ago\s+0\s+9\s+bad-auth 2/);
    expect(text).toContain('not for any vhid: unknown-vhid 3');
  });

  it('prints an event with its sequence number and cause', () => {
    expect(formatEvent({ seq: 7, time: '2026-01-01T00:00:00.000Z', node: 'fw1', kind: 'state', vhid: 1, interface: 'lan', old: 'BACKUP', new: 'MASTER', cause: 'BACKUP -> MASTER: x' })).toBe(
      '#7 2026-01-01T00:00:00.000Z fw1 vhid 1@lan: BACKUP -> MASTER: x',
    );
  });
});
