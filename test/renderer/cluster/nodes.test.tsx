import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterView } from '../../../renderer/src/cluster/ClusterView.js';
import { FakeClusterSource, node, settle, vhid } from './fake-source.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const FW1 = 'root@10.77.0.11';
const FW2 = 'root@10.77.0.12';
const card = (id: string) => screen.getByRole('region', { name: `Node ${id}` });

async function view() {
  const source = new FakeClusterSource();
  render(<ClusterView source={source} retry={{ minRetryMs: 1, maxRetryMs: 5 }} />);
  await settle();
  return source;
}

describe('nodes', () => {
  it('invites to add a firewall or start the lab when there are none', async () => {
    const source = await view();
    expect(screen.getByText('Loading the nodes…')).toBeTruthy();
    await source.nodeStream.push({ nodes: [] });
    expect(document.querySelector('.cluster-empty')?.textContent).toBe('No nodes yet — add a firewall by its SSH address, or run carpdeck lab up to practise.');
  });

  it('shows per vhid the state in words, why, VIPs and timers; demotion with its reasons; sync health; version', async () => {
    const source = await view();
    const fw2 = node(
      FW2,
      { credentialSaved: true },
      {
        name: 'fw2',
        version: '0.1.0+abc',
        maintenance: true,
        demotion: 240,
        demotionReasons: { maintenance: 240 },
        vhids: [vhid({ state: 'BACKUP', advskew: 100, demotion: 240, master: '10.0.1.2', why: 'in maintenance: advertises demotion 240, so the peer wins' }), vhid({ vhid: 2, interface: 'wan', state: 'INIT', vips: ['198.51.100.1/24'], master: null, why: 'link wan is down' })],
        stateSync: { healthy: false, summary: 'peer unreachable for 12 s', details: ['conntrackd: no sync messages from 10.0.3.2'] },
        configSync: { healthy: true, summary: 'in sync with fw1 (revision 7)', details: [] },
      },
    );
    await source.nodeStream.push({ nodes: [node(FW1), fw2] });
    const c = card(FW2);
    expect(within(c).getByRole('heading').textContent).toBe(`${FW2}fw2`);
    const row = (v: number) => c.querySelector(`tr[data-vhid="${v}"]`) as HTMLElement;
    expect(row(1).querySelector('.carp-state')?.textContent).toBe('○ BACKUP');
    expect(row(1).querySelector('.carp-state')?.className).toBe('carp-state backup');
    expect(row(1).querySelector('.why')?.textContent).toBe('in maintenance: advertises demotion 240, so the peer wins');
    expect(row(1).textContent).toContain('advbase 1 · advskew 100 · demotion 240');
    expect(row(2).querySelector('.carp-state')?.textContent).toBe('◌ INIT');
    expect(row(2).textContent).toContain('198.51.100.1/24');
    expect(within(c).getByRole('list', { name: 'Demotion reasons' }).textContent).toBe('maintenance: +240');
    expect(c.textContent).toContain('on (bowed out)');
    expect(c.textContent).toContain('running · version 0.1.0+abc');
    expect(c.querySelector('.sync-line.unhealthy')?.textContent).toContain('State sync: ✗ unhealthy — peer unreachable for 12 s');
    expect(c.querySelector('.sync-line.healthy')?.textContent).toContain('Config sync: ✓ healthy — in sync with fw1 (revision 7)');
    expect(card(FW1).querySelector('tr[data-vhid="1"] .carp-state')?.textContent).toBe('● MASTER');
    expect(card(FW1).querySelector('.stale-note')).toBeNull();
    const summary = screen.getByRole('region', { name: 'Cluster summary' });
    expect(summary.querySelector('li[data-vhid="1"]')?.textContent).toBe(`vhid 1fw1 (${FW1}) ● MASTERfw2 (${FW2}) ○ BACKUP`);
  });

  it('warns of split brain when two nodes are master of one vhid', async () => {
    const source = await view();
    await source.nodeStream.push({ nodes: [node(FW1), node(FW2, {}, { name: 'fw2' })] });
    expect(screen.getByRole('region', { name: 'Cluster summary' }).textContent).toContain('split brain: 2 masters');
  });

  it('counts down to the next connection attempt, and shows a failed connection with its fix and a way to retry', async () => {
    const source = await view();
    vi.useFakeTimers({ toFake: ['setInterval', 'Date'] });
    await source.nodeStream.push({
      nodes: [
        node(FW1, { connection: { state: 'backoff', retryInMs: 4000, error: { code: 'closed', message: `${FW1} closed the connection` } } }),
        node(FW2, { connection: { state: 'failed', error: { code: 'auth-failed', message: `${FW2} refused the login: wrong password or key`, fix: 'Check the key file or type the password again.' } }, carpd: null }),
      ],
    });
    const state = (id: string) => within(card(id)).getByRole('status');
    expect(state(FW1).textContent).toBe('Connection lost, retrying in 4 s');
    expect(card(FW1).querySelector('.stale-note')?.textContent).toBe('Last status seen before the connection dropped: it may be out of date.');
    expect(card(FW1).querySelector('tr[data-vhid="1"] .carp-state')?.textContent).toBe('● MASTER');
    await act(async () => vi.advanceTimersByTime(2000));
    expect(state(FW1).textContent).toBe('Connection lost, retrying in 2 s');
    expect(state(FW2).textContent).toBe('Connection failed');
    expect(within(card(FW2)).getByRole('alert').textContent).toBe(`${FW2} refused the login: wrong password or keyFix: Check the key file or type the password again.`);
    vi.useRealTimers();
    await act(async () => fireEvent.click(within(card(FW2)).getByRole('button', { name: 'Reconnect' })));
    expect(source.connects.map((c) => c.input)).toEqual([{ target: FW2 }]);
  });

  it('shows a node whose host key changed since with the red warning', async () => {
    const source = await view();
    await source.nodeStream.push({ nodes: [node(FW2, { connection: { state: 'failed', error: { code: 'host-key-changed', message: 'WARNING: the host key has CHANGED' } }, carpd: null })] });
    expect(within(card(FW2)).getByRole('alert', { name: `Host key of ${FW2} changed` }).className).toBe('key-changed');
  });

  it('disconnects a node and forgets its saved credential', async () => {
    const source = await view();
    await source.nodeStream.push({ nodes: [node(FW1, { credentialSaved: true })] });
    await act(async () => fireEvent.click(within(card(FW1)).getByRole('button', { name: 'Forget saved credential' })));
    await act(async () => fireEvent.click(within(card(FW1)).getByRole('button', { name: 'Disconnect' })));
    expect(source.forgotten).toEqual([FW1]);
    expect(source.disconnects).toEqual([FW1]);
  });

  it('says when the backend has no control panel yet, and picks the node list up again when it answers', async () => {
    const source = await view();
    await source.nodeStream.fail(Object.assign(new Error('the control panel backend is being built'), { code: 'NOT_IMPLEMENTED' }));
    expect(screen.getByRole('alert').textContent).toContain('The control panel\'s backend is not available in this build: the control panel backend is being built.');
    await vi.waitFor(() => expect(source.nodeStreams).toHaveLength(2));
    await source.nodeStream.push({ nodes: [node(FW1)] });
    expect(screen.queryByText(/not available in this build/)).toBeNull();
    expect(card(FW1)).toBeTruthy();
  });
});
