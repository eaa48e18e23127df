import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterPlan } from '../../../shared/pairing/schema.js';
import { addIpv6Vip, draftErrors } from '../../../renderer/src/pairing/plan-draft.js';
import { FakePairingSource, PLAN } from './fake-source.js';
import { button, click, toPlan } from './wizard.js';

afterEach(cleanup);

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const KEPT: ClusterPlan = { ...PLAN, vips: [{ ...PLAN.vips[0], kept: true }] };

describe('pairing wizard, step 3: a kept group and IPv6 VIPs', () => {
  it('shows a group kept from an earlier pairing as unchanged and read-only until the person chooses to change it', async () => {
    const source = new FakePairingSource();
    source.plan = (i) => ({ plan: i.plan ?? KEPT, changes: [], problems: [] });
    await toPlan(source);
    expect(screen.getByRole('note', { name: 'LAN group kept' }).textContent).toMatch(/both firewalls run this group now \(vhid 11\); its vhid, password, interval and addresses stay as they are/);
    expect(input('vhid for LAN').disabled).toBe(true);
    expect(input('VIPs for LAN').disabled).toBe(true);
    expect(input('Password for LAN').disabled).toBe(true);
    await click(button('Change the LAN group'));
    expect(input('vhid for LAN').disabled).toBe(false);
    expect(screen.getByText('Edited: check the changes to see the new files.')).toBeTruthy();
  });

  it('adds an IPv6 VIP to the LAN group, says it was not probed, and sends it to be checked', async () => {
    const source = await toPlan();
    fireEvent.change(input('IPv6 VIP'), { target: { value: '2001:db8:1::1/64' } });
    await click(button('Add the IPv6 VIP'));
    expect(input('VIPs for LAN').value).toBe('10.0.1.1/24, 2001:db8:1::1/64');
    expect(screen.getByText(/Not probed: the wizard does not check whether another host answers for 2001:db8:1::1\/64/)).toBeTruthy();
    await click(button('Check the changes'));
    const sent = source.calls.at(-1)!.input.plan as ClusterPlan;
    expect(sent.vips[0].vips).toEqual(['10.0.1.1/24', '2001:db8:1::1/64']);
  });

  it('puts the IPv6 VIP in a group of its own when asked or when the LAN group is kept, and names a malformed one', async () => {
    const source = new FakePairingSource();
    source.plan = (i) => ({ plan: i.plan ?? KEPT, changes: [], problems: [] });
    await toPlan(source);
    fireEvent.change(input('IPv6 VIP'), { target: { value: '2001:db8:1::zz/64' } });
    await click(button('Add the IPv6 VIP'));
    expect(screen.getByRole('list', { name: 'Error in the IPv6 VIP' }).textContent).toBe('IPv6 VIP: "2001:db8:1::zz/64" is not an IPv6 address with a prefix length (e.g. 2001:db8:1::1/64).');
    fireEvent.change(input('IPv6 VIP'), { target: { value: '2001:db8:1::1/64' } });
    await click(button('Add the IPv6 VIP'));
    expect(input('VIPs for LAN').value).toBe('10.0.1.1/24');
    expect(input('VIPs for LAN 2').value).toBe('2001:db8:1::1/64');
    expect(input('vhid for LAN 2').value).toBe('1');
    expect(input('Password for LAN 2').value).toMatch(/^[A-Za-z2-9]{19}$/);
    const own = addIpv6Vip(PLAN, 'lan', 'fd00:1::1/64', true, () => 'pw');
    expect(own.vips.map((v) => [v.vhid, v.vips])).toEqual([
      [11, ['10.0.1.1/24']],
      [1, ['fd00:1::1/64']],
    ]);
  });

  it('names an IPv6 VIP typed into a group that is not an IPv6 address with its prefix length', () => {
    expect(draftErrors({ ...PLAN, vips: [{ ...PLAN.vips[0], vips: ['10.0.1.1/24', '2001:db8:1::1', 'fe80::1%eth0/64'] }] })).toEqual([
      'VIPs for LAN: "2001:db8:1::1" is not an IPv6 address with a prefix length (e.g. 2001:db8:1::1/64).',
      'VIPs for LAN: "fe80::1%eth0/64" is not an IPv6 address with a prefix length (e.g. 2001:db8:1::1/64).',
    ]);
  });
});
