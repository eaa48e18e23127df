import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakePairingSource, node } from './fake-source.js';
import { button, click, FW1, FW2, open, settle } from './wizard.js';

afterEach(cleanup);

const options = (label: string) => [...(screen.getByLabelText(label) as HTMLSelectElement).options].map((o) => o.value).filter(Boolean);

describe('pairing wizard, step 1: connect', () => {
  it('offers only the connected cluster nodes and starts the pairing with the two picked', async () => {
    const source = await open();
    expect(screen.getByRole('listitem', { current: 'step' }).textContent).toContain('Connect');
    expect(screen.getByText(/No firewall is connected yet/)).toBeTruthy();
    await source.nodeList.push({ nodes: [node(FW1), node(FW2), node('root@10.99.0.9', 'failed')] });
    expect(options('Primary firewall')).toEqual([FW1, FW2]);
    const next = button('Continue to preflight') as HTMLButtonElement;
    expect(next.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Primary firewall'), { target: { value: FW1 } });
    fireEvent.change(screen.getByLabelText('Secondary firewall'), { target: { value: FW1 } });
    expect(screen.getByText('The primary and the secondary must be two different firewalls.')).toBeTruthy();
    expect(next.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Secondary firewall'), { target: { value: FW2 } });
    await click(next);
    expect(source.calls[0]).toEqual({ method: 'start', input: { primary: FW1, secondary: FW2 } });
    expect(screen.getByRole('listitem', { current: 'step' }).textContent).toContain('Preflight');
  });

  it('shows why the pairing could not start, with its fix', async () => {
    const source = new FakePairingSource();
    source.startError = Object.assign(new Error('secondary root@10.99.0.3: not connected'), { code: 'closed', data: { fix: 'Connect root@10.99.0.3 first.' } });
    await open(source);
    await source.nodeList.push({ nodes: [node(FW1), node(FW2)] });
    fireEvent.change(screen.getByLabelText('Primary firewall'), { target: { value: FW1 } });
    fireEvent.change(screen.getByLabelText('Secondary firewall'), { target: { value: FW2 } });
    await click(button('Continue to preflight'));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('secondary root@10.99.0.3: not connected');
    expect(alert.textContent).toContain('Connect root@10.99.0.3 first.');
    expect(screen.getByRole('listitem', { current: 'step' }).textContent).toContain('Connect');
  });

  it('connects a new firewall through the host-key and password dialogs and picks it as primary', async () => {
    const source = await open();
    fireEvent.change(screen.getByLabelText('SSH address'), { target: { value: ` ${FW1} ` } });
    await click(button('Connect'));
    expect(source.connects[0].input).toEqual({ target: FW1, identity: undefined, remember: undefined });
    const { updates } = source.connects[0];
    await updates.push({ kind: 'prompt', prompt: { id: 'k1', type: 'host-key', host: '10.99.0.2', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:AbCdEf0123' } });
    const dialog = screen.getByRole('dialog', { name: "Trust this firewall's host key?" });
    expect(within(dialog).getByLabelText('Host key fingerprint').textContent).toBe('SHA256:AbCdEf0123');
    await click(within(dialog).getByRole('button', { name: 'Accept and connect' }));
    expect(source.answers).toEqual([{ id: 'k1', accept: true }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    await updates.push({ kind: 'prompt', prompt: { id: 'p1', type: 'password', label: 'Password for root@10.99.0.2:' } });
    const login = screen.getByRole('dialog', { name: `Log in to ${FW1}` });
    const pw = within(login).getByLabelText('Password for root@10.99.0.2') as HTMLInputElement;
    expect(pw.type).toBe('password');
    fireEvent.change(pw, { target: { value: 'hunter2' } });
    await click(within(login).getByRole('button', { name: 'Log in' }));
    expect(source.answers[1]).toEqual({ id: 'p1', answers: ['hunter2'] });
    await updates.push({ kind: 'connected', node: FW1, fingerprint: 'SHA256:AbCdEf0123' });
    expect(screen.getByRole('status').textContent).toContain(`Connected to ${FW1}`);
    expect((screen.getByLabelText('Primary firewall') as HTMLSelectElement).value).toBe(FW1);
    expect((screen.getByLabelText('Secondary firewall') as HTMLSelectElement).value).toBe('');
  });

  it('refuses a host key when asked to and shows the connect error with its fix', async () => {
    const source = await open();
    fireEvent.change(screen.getByLabelText('SSH address'), { target: { value: FW2 } });
    fireEvent.change(screen.getByLabelText('Private key file (optional)'), { target: { value: '/root/.ssh/id_ed25519' } });
    await click(button('Connect'));
    expect(source.connects[0].input.identity).toBe('/root/.ssh/id_ed25519');
    await source.connects[0].updates.push({ kind: 'prompt', prompt: { id: 'k2', type: 'host-key', host: '10.99.0.3', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:zz' } });
    await click(button('Refuse'));
    expect(source.answers).toEqual([{ id: 'k2', accept: false }]);
    await source.connects[0].updates.push({ kind: 'failed', error: { code: 'host-key-unknown', message: 'the host key of 10.99.0.3 was refused', fix: 'Check the fingerprint on the firewall.' } });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Cannot connect');
    expect(alert.textContent).toContain('Check the fingerprint on the firewall.');
    expect(screen.queryByLabelText('Primary firewall')).toBeNull();
  });

  it('asks keyboard-interactive questions in one dialog, echoing only what may be shown, and cancels without answers', async () => {
    const source = await open();
    fireEvent.change(screen.getByLabelText('SSH address'), { target: { value: FW1 } });
    await click(button('Connect'));
    const { updates } = source.connects[0];
    const prompts = [
      { prompt: 'Verification code: ', echo: true },
      { prompt: 'Password: ', echo: false },
    ];
    await updates.push({ kind: 'prompt', prompt: { id: 'q1', type: 'keyboard', name: 'MFA', instructions: 'Two answers', prompts } });
    const dialog = screen.getByRole('dialog', { name: `Log in to ${FW1}` });
    expect(dialog.textContent).toContain('MFA: Two answers');
    expect((within(dialog).getByLabelText('Verification code') as HTMLInputElement).type).toBe('text');
    expect((within(dialog).getByLabelText('Password') as HTMLInputElement).type).toBe('password');
    await click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(source.answers).toEqual([{ id: 'q1' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('explains an address that is not USER@HOST without trying to connect', async () => {
    const source = await open();
    fireEvent.change(screen.getByLabelText('SSH address'), { target: { value: '10.99.0.2' } });
    await click(button('Connect'));
    expect(source.connects).toHaveLength(0);
    expect(screen.getByRole('alert').textContent).toContain('"10.99.0.2" is not USER@HOST[:PORT]');
    await settle();
  });
});
