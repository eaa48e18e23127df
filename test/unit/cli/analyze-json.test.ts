import { describe, expect, it } from 'vitest';
import type { AdvertRow } from '../../../shared/analysis/types.js';
import { advertJson } from '../../../electron/cli/analyze-json.js';

describe('advertisement rows as JSON', () => {
  it.each<AdvertRow>([
    { frame: 1, time: 1790000000.000999, kind: 'carp', src: '10.0.1.1', srcMac: '00:00:5e:00:01:01', dst: '224.0.0.18', ttl: 255, vhid: 1, checksumOk: true, advbase: 1, advskew: 0, demote: 0, counter: '18446744073709551615', hmac: 'unknown' },
    { frame: 99, time: 0.5, kind: 'vrrp3', src: 'fe80::1', srcMac: null, dst: 'ff02::12', ttl: 1, vhid: 255, checksumOk: false, priority: 0, intervalCs: 4095, addresses: ['2001:db8::1', '2001:db8::2'] },
    { frame: 2, time: 1e21, kind: 'vrrp2', src: 'we"ird\\', srcMac: 'x\ny', dst: '224.0.0.18', ttl: 255, vhid: 3, checksumOk: true, priority: 100, intervalCs: 100, addresses: [] },
    { frame: 3, time: 12.25, kind: 'vrrp2', src: 'café\u2028', srcMac: '\u007f', dst: '', ttl: 255, vhid: 4, checksumOk: true, priority: 100, intervalCs: 100, addresses: ['x"y'] },
  ])('writes exactly what JSON.stringify writes (%#)', (row) => {
    expect(advertJson(row)).toBe(JSON.stringify(row));
  });
});
