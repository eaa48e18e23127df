import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterView } from '../../../renderer/src/cluster/ClusterView.js';
import { opensshKeyName } from '../../../renderer/src/cluster/PromptDialog.js';
import { FakeClusterSource, settle } from './fake-source.js';

afterEach(cleanup);

const FP = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

async function addNode(source: FakeClusterSource, target: string, fill: (form: HTMLElement) => void = () => undefined) {
  render(<ClusterView source={source} />);
  await settle();
  const form = screen.getByRole('region', { name: 'Add a node' });
  fireEvent.change(within(form).getByLabelText('SSH address'), { target: { value: target } });
  fill(form);
  await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Connect' })));
  return source.connects.at(-1)!;
}

describe('adding a node', () => {
  it('sends the address, key file and remember choice, and says what is wrong with an address before sending', async () => {
    const source = new FakeClusterSource();
    render(<ClusterView source={source} />);
    await settle();
    const form = screen.getByRole('region', { name: 'Add a node' });
    fireEvent.change(within(form).getByLabelText('SSH address'), { target: { value: '10.77.0.11' } });
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Connect' })));
    expect(screen.getByRole('alert').textContent).toContain('has no user: write it as USER@HOST, for example root@10.77.0.11');
    expect(source.connects).toHaveLength(0);
    fireEvent.change(within(form).getByLabelText('SSH address'), { target: { value: 'root@10.77.0.11:2222' } });
    fireEvent.change(within(form).getByLabelText(/Identity file/), { target: { value: '/var/lib/lab/id_ed25519' } });
    fireEvent.click(within(form).getByLabelText(/Remember the password/));
    await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Connect' })));
    expect(source.connects.map((c) => c.input)).toEqual([{ target: 'root@10.77.0.11:2222', identity: '/var/lib/lab/id_ed25519', remember: true }]);
    expect(screen.getByText('Connecting to root@10.77.0.11:2222…')).toBeTruthy();
  });

  it('sends a typed password once and clears it from the form', async () => {
    const source = new FakeClusterSource();
    const c = await addNode(source, 'root@10.77.0.12', (form) => {
      fireEvent.click(within(form).getByLabelText('a password'));
      fireEvent.change(within(form).getByLabelText('Password'), { target: { value: 'hunter2' } });
    });
    expect(c.input).toEqual({ target: 'root@10.77.0.12', password: 'hunter2' });
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Password') as HTMLInputElement).type).toBe('password');
  });

  it('says the secret stays in memory only when the backend cannot store it encrypted', async () => {
    const source = new FakeClusterSource();
    source.persistent = false;
    render(<ClusterView source={source} />);
    await settle();
    expect(screen.getByLabelText(/until CarpDeck stops \(this backend keeps secrets in memory only\)/)).toBeTruthy();
  });
});

describe('login prompts', () => {
  it('shows an unknown host key with its SHA256 fingerprint and trust-on-first-use explanation; accepting sends accept: true', async () => {
    const source = new FakeClusterSource();
    const c = await addNode(source, 'root@10.77.0.11');
    await c.stream.push({ kind: 'prompt', prompt: { id: 'p1', type: 'host-key', host: '10.77.0.11', port: 22, keyType: 'ssh-ed25519', fingerprint: FP } });
    const dialog = screen.getByRole('dialog', { name: 'Unknown host key for 10.77.0.11' });
    expect(within(dialog).getByTestId('host-key-fingerprint').textContent).toBe(FP);
    expect(dialog.querySelector('.host-key')?.textContent).toBe(`ED25519 key fingerprint is ${FP}`);
    expect(dialog.textContent).toContain('trust on first use');
    expect(dialog.textContent).toContain('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub');
    // the safe choice has the focus, so Enter never trusts a key by accident
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Refuse' }));
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Trust this key and connect' })));
    expect(source.answers).toEqual([{ id: 'p1', accept: true }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    await c.stream.push({ kind: 'connected', node: 'root@10.77.0.11', fingerprint: FP });
    expect(screen.getByText(/Connected to root@10\.77\.0\.11/).textContent).toContain(FP);
    expect((screen.getByLabelText('SSH address') as HTMLInputElement).value).toBe('');
  });

  it('keeps keyboard focus inside a dialog: Tab from the last control goes to the first and Shift+Tab back', async () => {
    const source = new FakeClusterSource();
    const c = await addNode(source, 'root@10.77.0.11');
    await c.stream.push({ kind: 'prompt', prompt: { id: 'p1', type: 'host-key', host: '10.77.0.11', port: 22, keyType: 'ssh-ed25519', fingerprint: FP } });
    const dialog = screen.getByRole('dialog');
    const [refuse, trust] = within(dialog).getAllByRole('button');
    trust.focus();
    fireEvent.keyDown(trust, { key: 'Tab' });
    expect(document.activeElement).toBe(refuse);
    fireEvent.keyDown(refuse, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(trust);
  });

  it('names key types as OpenSSH prints them', () => {
    expect(['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp384', 'sk-ssh-ed25519@openssh.com', 'x-new-type'].map(opensshKeyName)).toEqual(['ED25519', 'RSA', 'ECDSA', 'ED25519-SK', 'x-new-type']);
  });

  it('refusing the host key (button or Escape) sends accept: false', async () => {
    const source = new FakeClusterSource();
    const c = await addNode(source, 'root@[2001:db8::11]:2222');
    await c.stream.push({ kind: 'prompt', prompt: { id: 'p1', type: 'host-key', host: '2001:db8::11', port: 2222, keyType: 'ssh-ed25519', fingerprint: FP } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Refuse' })));
    await c.stream.push({ kind: 'prompt', prompt: { id: 'p2', type: 'host-key', host: '2001:db8::11', port: 2222, keyType: 'ssh-ed25519', fingerprint: FP } });
    expect(screen.getByRole('dialog', { name: 'Unknown host key for 2001:db8::11:2222' })).toBeTruthy();
    await act(async () => fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' }));
    expect(source.answers).toEqual([
      { id: 'p1', accept: false },
      { id: 'p2', accept: false },
    ]);
  });

  it('asks the password in a secret field, sends it as the answer and keeps no copy; Cancel sends no answers', async () => {
    const source = new FakeClusterSource();
    const c = await addNode(source, 'admin@10.77.0.12');
    await c.stream.push({ kind: 'prompt', prompt: { id: 'pw1', type: 'password', label: 'Password for admin@10.77.0.12' } });
    const dialog = screen.getByRole('dialog', { name: 'Log in to admin@10.77.0.12' });
    const input = within(dialog).getByLabelText('Password for admin@10.77.0.12') as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: 's3cret' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Log in' })));
    expect(source.answers).toEqual([{ id: 'pw1', answers: ['s3cret'] }]);
    expect(document.body.innerHTML).not.toContain('s3cret');
    await c.stream.push({ kind: 'prompt', prompt: { id: 'pw2', type: 'password', label: 'Password' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel' })));
    expect(source.answers[1]).toEqual({ id: 'pw2' });
  });

  it('shows a keyboard-interactive round with its instructions, echoing only the prompts that may be echoed', async () => {
    const source = new FakeClusterSource();
    const c = await addNode(source, 'root@10.77.0.11');
    await c.stream.push({
      kind: 'prompt',
      prompt: { id: 'k1', type: 'keyboard', name: 'Two-factor login', instructions: 'Enter your password, then the code from your token.', prompts: [{ prompt: 'Password: ', echo: false }, { prompt: 'Token code: ', echo: true }] },
    });
    const dialog = screen.getByRole('dialog', { name: 'Two-factor login' });
    expect(dialog.textContent).toContain('Enter your password, then the code from your token.');
    const pw = within(dialog).getByLabelText('Password') as HTMLInputElement;
    const code = within(dialog).getByLabelText('Token code') as HTMLInputElement;
    expect([pw.type, code.type]).toEqual(['password', 'text']);
    fireEvent.change(pw, { target: { value: 'pw' } });
    fireEvent.change(code, { target: { value: '123456' } });
    await act(async () => fireEvent.submit(pw.form!));
    expect(source.answers).toEqual([{ id: 'k1', answers: ['pw', '123456'] }]);
  });

  it('shows a refused, changed host key as a red warning that says what it may mean and how to fix it', async () => {
    const source = new FakeClusterSource();
    const c = await addNode(source, 'root@10.77.0.12');
    await c.stream.push({
      kind: 'failed',
      error: { code: 'host-key-changed', message: `WARNING: the host key of root@10.77.0.12 has CHANGED. Pinned: ssh-ed25519 ${FP}; offered now: ssh-ed25519 SHA256:other. Refused.` },
    });
    const warning = screen.getByRole('alert', { name: 'Host key of root@10.77.0.12 changed' });
    expect(warning.className).toBe('key-changed');
    expect(warning.textContent).toContain('has CHANGED: connection refused');
    expect(warning.textContent).toContain(FP);
    expect(warning.textContent).toContain('man-in-the-middle');
    expect(warning.textContent).toContain('reinstalled');
    expect(warning.textContent).toContain('only if you know why it changed');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows any other login failure with its fix', async () => {
    const source = new FakeClusterSource();
    const c = await addNode(source, 'root@10.77.0.99');
    await c.stream.push({ kind: 'failed', error: { code: 'unreachable', message: 'root@10.77.0.99 is unreachable', fix: 'Check the address and that sshd runs.' } });
    const panel = screen.getByRole('alert', { name: 'Could not connect to root@10.77.0.99' });
    expect(panel.textContent).toContain('root@10.77.0.99 is unreachable');
    expect(panel.textContent).toContain('Fix: Check the address and that sshd runs.');
  });
});
