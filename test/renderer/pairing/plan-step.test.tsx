import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterPlan } from '../../../shared/pairing/schema.js';
import { draftErrors } from '../../../renderer/src/pairing/plan-draft.js';
import { FakePairingSource, PLAN, PREFLIGHT_OK, check } from './fake-source.js';
import { button, click, FW1, FW2, toPlan } from './wizard.js';

afterEach(cleanup);

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const applyButton = () => button('Apply to both firewalls') as HTMLButtonElement;

describe('pairing wizard, step 3: plan', () => {
  it('shows the proposed plan with the password masked, and each node\'s changes', async () => {
    const source = await toPlan();
    expect(source.calls.at(-1)).toEqual({ method: 'plan', input: { pairing: 'p-1', plan: undefined } });
    expect(input('VIPs for LAN').value).toBe('10.0.1.1/24');
    expect(input('vhid for LAN').value).toBe('11');
    expect(input('Primary advskew').value).toBe('0');
    expect(input('Secondary advskew').value).toBe('100');
    expect(input('Primary sync address').value).toBe('10.0.3.2');
    expect(input('State sync: copy connection states to the secondary, so open connections survive a failover').checked).toBe(true);
    const pw = input('Password for LAN');
    expect(pw.type).toBe('password');
    expect(pw.value).toBe(PLAN.vips[0].password);
    await click(button('Show the LAN password'));
    expect(pw.type).toBe('text');
    expect(screen.getByText(`On ${FW1}: lan · on ${FW2}: eth1`)).toBeTruthy();
    const primary = screen.getByRole('region', { name: `Changes on Primary (${FW1})` });
    expect(primary.textContent).toContain('/etc/carpd/carpd.json (new file)');
    expect(primary.textContent).not.toContain(PLAN.vips[0].password);
    expect(primary.textContent).toContain('"password": "••••••••"');
    const secondary = screen.getByRole('region', { name: `Changes on Secondary (${FW2})` });
    expect(secondary.textContent).toContain('(changed)');
    expect(secondary.querySelector('.del')?.textContent).toBe('-{"old": true}\n');
  });

  it('applies nothing until the changes are confirmed', async () => {
    const source = await toPlan();
    expect(applyButton().disabled).toBe(true);
    await click(screen.getByLabelText('I have reviewed the changes on both firewalls'));
    expect(applyButton().disabled).toBe(false);
    expect(source.methods()).not.toContain('apply');
    await click(applyButton());
    expect(source.calls.at(-1)).toEqual({ method: 'apply', input: { pairing: 'p-1', plan: PLAN } });
  });

  it('checks an edited plan again before it can be applied, and shows its problems', async () => {
    const source = new FakePairingSource();
    source.plan = (i) => ({ plan: i.plan ?? PLAN, changes: [], problems: i.plan?.vips[0].vhid === 7 ? ['vhid 7 is already used on the LAN segment by 10.0.1.250 (VRRP)'] : [] });
    await toPlan(source);
    await click(screen.getByLabelText('I have reviewed the changes on both firewalls'));
    fireEvent.change(input('vhid for LAN'), { target: { value: '7' } });
    expect(applyButton().disabled).toBe(true);
    expect(screen.getByText('Edited: check the changes to see the new files.')).toBeTruthy();
    await click(button('Check the changes'));
    const sent = source.calls.at(-1)!.input.plan as ClusterPlan;
    expect(sent.vips[0].vhid).toBe(7);
    expect(screen.getByText('The files are shown once the plan has no problems.')).toBeTruthy();
    const problems = screen.getByRole('alert', { name: 'Problems with the plan' });
    expect(problems.textContent).toContain('vhid 7 is already used on the LAN segment by 10.0.1.250 (VRRP)');
    await click(screen.getByLabelText('I have reviewed the changes on both firewalls'));
    expect(applyButton().disabled).toBe(true);
  });

  it('regenerates a strong password of 19 characters', async () => {
    await toPlan();
    await click(button('Regenerate the LAN password'));
    const pw = input('Password for LAN').value;
    expect(pw).not.toBe(PLAN.vips[0].password);
    expect(pw).toMatch(/^[A-Za-z2-9]{19}$/);
  });

  it('names each field an edit got wrong and does not send it', async () => {
    const source = await toPlan();
    const before = source.calls.length;
    fireEvent.change(input('Password for LAN'), { target: { value: 'x'.repeat(20) } });
    fireEvent.change(input('Secondary advskew'), { target: { value: '0' } });
    const errors = screen.getByRole('list', { name: 'Errors in the plan' });
    expect(errors.textContent).toContain("Password for LAN: must be 1 to 19 bytes (CARP's key limit), it is 20.");
    expect(errors.textContent).toContain("Primary advskew must be lower than the secondary's");
    expect((button('Check the changes') as HTMLButtonElement).disabled).toBe(true);
    expect(source.calls.length).toBe(before);
  });

  it('carries the preflight overrides into the plan', async () => {
    const source = new FakePairingSource();
    const report = { ...PREFLIGHT_OK, ok: false, checks: [check('sync-interface', 'fail', null, { overridable: true, title: 'Dedicated sync link' })] };
    source.preflight = () => [{ kind: 'done', result: report }];
    await toPlan(source);
    expect(screen.queryByLabelText('VIPs for LAN')).toBeNull();
    await click(screen.getByLabelText(/Override “Dedicated sync link”/));
    await click(button('Continue to plan'));
    const plans = source.calls.filter((c) => c.method === 'plan').map((c) => c.input.plan as ClusterPlan | undefined);
    expect(plans[0]).toBeUndefined();
    expect(plans[1]?.overrides).toEqual(['sync-interface']);
    expect(within(screen.getByRole('group', { name: 'Priorities and sync' })).getByText('Overridden preflight checks: sync-interface.')).toBeTruthy();
  });
});

describe('plan draft checks', () => {
  it('counts the password limit in bytes, not characters', () => {
    const errors = draftErrors({ ...PLAN, vips: [{ ...PLAN.vips[0], password: 'é'.repeat(10) }] });
    expect(errors).toEqual(["Password for LAN: must be 1 to 19 bytes (CARP's key limit), it is 20. Use Regenerate for a strong one."]);
  });

  it('refuses two groups with the same vhid and a VIP without prefix', () => {
    const wan = { ...PLAN.vips[0], role: 'wan' as const, vips: ['198.51.100.1'] };
    expect(draftErrors({ ...PLAN, vips: [PLAN.vips[0], wan] })).toEqual([
      'VIPs for WAN: "198.51.100.1" is not an address with a prefix length (e.g. 10.0.1.1/24).',
      'vhid for WAN: 11 is already used for LAN; each group needs its own.',
    ]);
  });
});
