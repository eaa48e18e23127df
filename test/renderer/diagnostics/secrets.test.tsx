import { describe, expect, it } from 'vitest';
import { parseSecrets } from '../../../renderer/src/diagnostics/secrets.js';

describe('HMAC secrets form', () => {
  it('turns filled rows into secrets, splitting the VIP list and skipping blank rows', () => {
    const result = parseSecrets([
      { vhid: '1', password: 's3cret', vips: '10.0.1.1, 2001:db8::1' },
      { vhid: '', password: '', vips: '' },
      { vhid: '7', password: 'x', vips: '' },
    ]);
    expect(result).toEqual({
      ok: true,
      secrets: [
        { vhid: 1, password: 's3cret', vips: ['10.0.1.1', '2001:db8::1'] },
        { vhid: 7, password: 'x' },
      ],
    });
  });

  it('names the row and field of each mistake', () => {
    const result = parseSecrets([{ vhid: '300', password: '', vips: '10.0.1.999' }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      'Secret 1: vhid must be a number from 1 to 255.',
      'Secret 1: enter the CARP password for vhid 300.',
      'Secret 1: "10.0.1.999" is not an IPv4 or IPv6 address.',
    ]);
  });
});
