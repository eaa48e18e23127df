import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../../shared/pairing/schema.js';
import type { ProgressUpdate } from '../../../renderer/src/pairing/progress.js';
import { Channel, check, FakePairingSource, T } from './fake-source.js';
import { button, click, FW1, FW2, toPreflight } from './wizard.js';

afterEach(cleanup);

const FAILING: PreflightReport = {
  time: T,
  nodes: [],
  checks: [
    check('os', 'pass', 'primary', { title: 'Operating system' }),
    check('packages', 'fail', 'secondary', { title: 'Required packages', detail: 'conntrackd is not installed', fix: 'Install conntrackd.', remedy: { id: 'install-packages', label: 'Install missing packages' } }),
    check('sync-interface', 'fail', null, { title: 'Dedicated sync link', detail: 'sync shares the LAN subnet', fix: 'Use a separate link for sync.', overridable: true }),
    check('clock', 'warn', null, { title: 'Clocks agree', detail: 'clocks differ by 0.6 s', fix: 'Enable NTP on both.' }),
  ],
  ok: false,
};

const failing = (): ProgressUpdate<PreflightReport>[] => [...FAILING.checks.map((c) => ({ kind: 'check' as const, check: c })), { kind: 'done', result: FAILING }];

describe('pairing wizard, step 2: preflight', () => {
  it('starts preflight on both nodes and shows each check as it arrives, grouped by node', async () => {
    const source = new FakePairingSource();
    const live = new Channel<ProgressUpdate<PreflightReport>>();
    source.preflight = () => live;
    await toPreflight(source);
    expect(source.calls[1]).toEqual({ method: 'preflight', input: { pairing: 'p-1', overrides: undefined } });
    await live.push({ kind: 'check', check: FAILING.checks[0] });
    expect(screen.getByRole('status').textContent).toBe('Checking both firewalls… 1 checks so far.');
    expect(within(screen.getByRole('region', { name: `Primary (${FW1})` })).getByText('Operating system')).toBeTruthy();
    expect((button('Continue to plan') as HTMLButtonElement).disabled).toBe(true);
    await live.push(...failing().slice(1));
    const secondary = screen.getByRole('region', { name: `Secondary (${FW2})` });
    expect(secondary.textContent).toContain('Failed');
    expect(secondary.textContent).toContain('conntrackd is not installed');
    expect(secondary.textContent).toContain('Install conntrackd.');
    const both = screen.getByRole('region', { name: 'Both nodes' });
    expect(both.textContent).toContain('clocks differ by 0.6 s');
    expect(both.textContent).toContain('Enable NTP on both.');
    expect(screen.getByRole('status').textContent).toBe('2 of 4 checks failed. Fix them (or override where allowed) and run preflight again.');
    expect((button('Continue to plan') as HTMLButtonElement).disabled).toBe(true);
  });

  it('runs an offered remedy on that node, then preflight again', async () => {
    const source = new FakePairingSource();
    source.preflight = failing;
    await toPreflight(source);
    await click(button('Install missing packages'));
    expect(source.calls[2]).toEqual({ method: 'remedy', input: { pairing: 'p-1', node: 'secondary', remedy: 'install-packages' } });
    const remedy = screen.getByRole('region', { name: 'Remedy' });
    expect(remedy.textContent).toContain('Installing packages on the secondary');
    expect(remedy.textContent).toContain('Installed conntrackd. Preflight runs again.');
    expect(source.methods()).toEqual(['start', 'preflight', 'remedy', 'preflight']);
  });

  it('continues past an overridable failure only once it is explicitly overridden, and reruns with the override', async () => {
    const source = new FakePairingSource();
    const withoutPackages = { ...FAILING, checks: FAILING.checks.filter((c) => c.id !== 'packages') };
    source.preflight = () => [{ kind: 'done', result: withoutPackages }];
    await toPreflight(source);
    const next = button('Continue to plan') as HTMLButtonElement;
    expect(next.disabled).toBe(true);
    const override = screen.getByLabelText(/Override “Dedicated sync link”/) as HTMLInputElement;
    expect(override.checked).toBe(false);
    await click(override);
    expect(next.disabled).toBe(false);
    expect(screen.getByRole('status').textContent).toContain('Ready to plan: 3 checks, 1 failed but overridden, 1 warnings.');
    await click(button('Run preflight again'));
    expect(source.calls.at(-1)).toEqual({ method: 'preflight', input: { pairing: 'p-1', overrides: ['sync-interface'] } });
  });

  it('never offers an override for a failure that is not overridable', async () => {
    const source = new FakePairingSource();
    source.preflight = failing;
    await toPreflight(source);
    const packages = screen.getByRole('region', { name: `Secondary (${FW2})` });
    expect(within(packages).queryByRole('checkbox')).toBeNull();
    expect(screen.getAllByRole('checkbox')).toHaveLength(1);
  });

  it('says preflight stopped, with the error and its fix', async () => {
    const source = new FakePairingSource();
    source.preflight = () => [{ kind: 'failed', error: { code: 'closed', message: 'fw2: the SSH connection closed', fix: 'Reconnect fw2 in step 1.' } }];
    await toPreflight(source);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Preflight stopped');
    expect(alert.textContent).toContain('Reconnect fw2 in step 1.');
  });

  it('goes back to the node choice', async () => {
    await toPreflight();
    await click(button('Back'));
    expect(screen.getByRole('listitem', { current: 'step' }).textContent).toContain('Connect');
  });
});
