// Trusting a legitimately changed host key from the red warning: both fingerprints side by side, the trust button
// only after the first characters of the new fingerprint were typed from the console, then replace and reconnect;
// the Known hosts panel lists the pins and forgets one after a second click.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ForgetHostKeyResult, HostKeyChange, KnownHostView, ReplaceHostKeyInput, ReplaceHostKeyResult } from '../../../shared/api/cluster-contract.js';
import { ClusterView } from '../../../renderer/src/cluster/ClusterView.js';
import type { HostKeySource } from '../../../renderer/src/cluster/source.js';
import { FakeClusterSource, node, settle } from './fake-source.js';

afterEach(cleanup);

const TARGET = 'root@10.77.0.12';
const OLD = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
const NEW = 'SHA256:q1Jx3mVJ3Gm2cq9w6pAsJtu0u3yBv0M0uS1u2W0S8aQ';
const change: HostKeyChange = {
  target: TARGET,
  host: '10.77.0.12',
  port: 22,
  keyType: 'ssh-ed25519',
  pinnedKeyType: 'ssh-ed25519',
  pinnedFingerprint: OLD,
  offeredFingerprint: NEW,
  pinnedSince: '2026-11-20T09:00:00.000Z',
};
const changedError = { code: 'host-key-changed', message: `WARNING: the host key of ${TARGET} has CHANGED. Refused.`, hostKey: change };
const pin = (target: string, fingerprint: string): KnownHostView => ({ target, host: target, port: 22, keyType: 'ssh-ed25519', fingerprint, pinnedAt: '2026-11-20T09:00:00.000Z' });

class FakeHostKeys implements HostKeySource {
  hosts: KnownHostView[] = [pin('10.77.0.12', OLD), pin('10.77.0.13', NEW)];
  lists = 0;
  replaces: ReplaceHostKeyInput[] = [];
  forgets: string[] = [];
  replaceResult: ReplaceHostKeyResult = { ok: true, previous: pin('10.77.0.12', OLD), pinned: pin('10.77.0.12', NEW) };
  async list() {
    this.lists++;
    return { ok: true as const, file: '/home/tech/.config/carpdeck/known-hosts.json', hosts: this.hosts };
  }
  async replace(input: ReplaceHostKeyInput) {
    this.replaces.push(input);
    if (this.replaceResult.ok) this.hosts = this.hosts.map((h) => (h.target === '10.77.0.12' ? pin(h.target, NEW) : h));
    return this.replaceResult;
  }
  async forget(target: string): Promise<ForgetHostKeyResult> {
    this.forgets.push(target);
    const gone = this.hosts.find((h) => h.target === target) ?? null;
    this.hosts = this.hosts.filter((h) => h !== gone);
    return { ok: true, forgotten: gone };
  }
}

class SourceWithHostKeys extends FakeClusterSource {
  hostKeys = new FakeHostKeys();
}

async function failedLogin(source: SourceWithHostKeys) {
  render(<ClusterView source={source} />);
  await settle();
  const form = screen.getByRole('region', { name: 'Add a node' });
  fireEvent.change(within(form).getByLabelText('SSH address'), { target: { value: TARGET } });
  await act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Connect' })));
  await source.connects[0].stream.push({ kind: 'failed', error: changedError });
  return screen.getByRole('alert', { name: `Host key of ${TARGET} changed` });
}

const trustButton = (warning: HTMLElement) => within(warning).getByRole('button', { name: 'I checked the new key on the console: trust it' }) as HTMLButtonElement;
const typeFingerprint = (warning: HTMLElement, text: string) => fireEvent.change(within(warning).getByLabelText(/Type the first 8 characters/), { target: { value: text } });

describe('a changed host key', () => {
  it('shows the pinned and offered fingerprints side by side', async () => {
    const warning = await failedLogin(new SourceWithHostKeys());
    const table = within(warning).getByRole('table', { name: 'Pinned and offered host keys' });
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers[0]).toMatch(/^Pinned \(trusted since .+\)$/);
    expect(headers[1]).toBe('Offered now');
    expect(within(table).getByTestId('pinned-fingerprint').textContent).toBe(OLD);
    expect(within(table).getByTestId('offered-fingerprint').textContent).toBe(NEW);
    expect(within(table).getAllByText('ED25519')).toHaveLength(2);
  });

  it('enables trust only once the start of the new fingerprint is typed, then replaces exactly that pin and connects again', async () => {
    const source = new SourceWithHostKeys();
    const warning = await failedLogin(source);
    const listsBefore = source.hostKeys.lists;
    expect(trustButton(warning).disabled).toBe(true);
    typeFingerprint(warning, 'q1Jx');
    expect(trustButton(warning).disabled).toBe(true);
    typeFingerprint(warning, 'q1Jx3mVX');
    expect(trustButton(warning).disabled).toBe(true);
    expect(warning.textContent).toContain('That is not the start of the key offered now');
    // submitting anyway (Enter) sends nothing
    await act(async () => fireEvent.submit(trustButton(warning).form!));
    expect(source.hostKeys.replaces).toEqual([]);

    typeFingerprint(warning, ' SHA256:q1Jx3mVJ ');
    expect(trustButton(warning).disabled).toBe(false);
    expect(warning.textContent).not.toContain('That is not the start');
    await act(async () => fireEvent.click(trustButton(warning)));
    await settle();
    expect(source.hostKeys.replaces).toEqual([{ target: TARGET, expectedOld: OLD, newFingerprint: NEW }]);
    expect(source.connects.map((c) => c.input)).toEqual([{ target: TARGET }, { target: TARGET }]);
    expect(screen.getByText(`Connecting to ${TARGET}…`)).toBeTruthy();
    expect(source.hostKeys.lists).toBeGreaterThan(listsBefore);
  });

  it('shows why the backend refused the replace, with its fix, and does not connect', async () => {
    const source = new SourceWithHostKeys();
    source.hostKeys.replaceResult = {
      ok: false,
      error: { code: 'host-key-offered-differs', message: '10.77.0.12 offers ssh-ed25519 SHA256:zzz right now, not the one you confirmed', fix: 'read the fingerprint on the console again' },
    };
    const warning = await failedLogin(source);
    typeFingerprint(warning, NEW);
    await act(async () => fireEvent.click(trustButton(warning)));
    await settle();
    expect(within(warning).getByRole('status').textContent).toBe('10.77.0.12 offers ssh-ed25519 SHA256:zzz right now, not the one you confirmedFix: read the fingerprint on the console again');
    expect(source.connects).toHaveLength(1);
  });

  it('offers the same confirmation on a node card whose reconnect met a changed key', async () => {
    const source = new SourceWithHostKeys();
    render(<ClusterView source={source} />);
    await settle();
    await source.nodeStream.push({ nodes: [node(TARGET, { connection: { state: 'failed', error: changedError }, carpd: null })] });
    const card = screen.getByRole('region', { name: `Node ${TARGET}` });
    const warning = within(card).getByRole('alert', { name: `Host key of ${TARGET} changed` });
    typeFingerprint(warning, 'q1Jx3mVJ3Gm2');
    await act(async () => fireEvent.click(trustButton(warning)));
    await settle();
    expect(source.hostKeys.replaces).toEqual([{ target: TARGET, expectedOld: OLD, newFingerprint: NEW }]);
    expect(source.connects.map((c) => c.input)).toEqual([{ target: TARGET }]);
  });

  it('without structured fingerprints or a backend that can replace, only explains', async () => {
    const plain = new FakeClusterSource();
    render(<ClusterView source={plain} />);
    await settle();
    await plain.nodeStream.push({ nodes: [node(TARGET, { connection: { state: 'failed', error: changedError }, carpd: null })] });
    expect(screen.getByRole('alert', { name: `Host key of ${TARGET} changed` }).querySelector('form')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Known hosts' })).toBeNull();
  });
});

describe('known hosts panel', () => {
  it('lists each pinned key and forgets one only after the second click', async () => {
    const source = new SourceWithHostKeys();
    render(<ClusterView source={source} />);
    await settle();
    const panel = screen.getByRole('region', { name: 'Known hosts' });
    expect(panel.textContent).toContain('/home/tech/.config/carpdeck/known-hosts.json');
    const row = within(panel).getByRole('row', { name: 'Known host 10.77.0.12' });
    expect(within(row).getAllByRole('cell').slice(0, 3).map((c) => c.textContent)).toEqual(['10.77.0.12', 'ED25519', OLD]);
    await act(async () => fireEvent.click(within(row).getByRole('button', { name: 'Forget…' })));
    expect(source.hostKeys.forgets).toEqual([]);
    await act(async () => fireEvent.click(within(row).getByRole('button', { name: 'Forget 10.77.0.12' })));
    await settle();
    expect(source.hostKeys.forgets).toEqual(['10.77.0.12']);
    expect(within(panel).queryByRole('row', { name: 'Known host 10.77.0.12' })).toBeNull();
    expect(within(panel).getByRole('row', { name: 'Known host 10.77.0.13' })).toBeTruthy();
  });
});
