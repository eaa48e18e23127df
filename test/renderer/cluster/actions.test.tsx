import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterView } from '../../../renderer/src/cluster/ClusterView.js';
import { FakeClusterSource, node, settle } from './fake-source.js';

afterEach(cleanup);

const FW1 = 'root@10.77.0.11';
const FW2 = 'root@10.77.0.12';

async function view() {
  const source = new FakeClusterSource();
  render(<ClusterView source={source} />);
  await settle();
  await source.nodeStream.push({ nodes: [node(FW1), node(FW2, {}, { name: 'fw2', maintenance: true })] });
  return source;
}

const card = (id: string) => screen.getByRole('region', { name: `Node ${id}` });
const click = (el: HTMLElement) => act(async () => fireEvent.click(el));

describe('actions', () => {
  it('asks before a destructive action, runs nothing on Cancel, and runs it on the node after confirming', async () => {
    const source = await view();
    for (const label of ['Force failover', 'Restart carpd', 'Maintenance on']) {
      await click(within(card(FW1)).getByRole('button', { name: label }));
      const ask = screen.getByRole('alertdialog', { name: `${label} on ${FW1}?` });
      expect(document.activeElement).toBe(within(ask).getByRole('button', { name: 'Cancel' }));
      await click(within(ask).getByRole('button', { name: 'Cancel' }));
      expect(screen.queryByRole('alertdialog')).toBeNull();
    }
    expect(source.actions).toEqual([]);
    await click(within(card(FW1)).getByRole('button', { name: 'Maintenance on' }));
    expect(screen.getByRole('alertdialog').textContent).toContain('every VIP it holds moves to the peer');
    await click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Maintenance on' }));
    expect(source.actions.map((a) => [a.action, a.node])).toEqual([['maintenance-on', FW1]]);
  });

  it('runs the others at once, and cluster-wide actions without a node', async () => {
    const source = await view();
    await click(within(card(FW2)).getByRole('button', { name: 'Maintenance off' }));
    await click(within(card(FW2)).getByRole('button', { name: 'Resync states' }));
    await click(within(card(FW2)).getByRole('button', { name: 'Push config' }));
    await click(within(screen.getByRole('group', { name: 'Cluster actions' })).getByRole('button', { name: 'Push config' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(source.actions.map((a) => [a.action, a.node])).toEqual([
      ['maintenance-off', FW2],
      ['resync-states', FW2],
      ['push-config', FW2],
      ['push-config', undefined],
    ]);
  });

  it('shows each step as the nodes report it (a node\'s next step finishes its previous one) and the result', async () => {
    const source = await view();
    await click(within(card(FW2)).getByRole('button', { name: 'Maintenance off' }));
    const stream = source.actions[0].stream;
    const run = () => screen.getByRole('listitem', { name: `Maintenance off · ${FW2}` });
    const steps = () => [...run().querySelectorAll('li.run-step')].map((li) => [li.className, li.textContent]);
    await stream.push({ node: FW2, step: 'request', message: 'asking carpd on fw2 to leave maintenance', status: 'running' });
    expect(run().getAttribute('data-result')).toBe('running');
    expect(run().textContent).toContain('In progress…');
    await stream.push({ node: FW2, step: 'requested', message: 'maintenance off', status: 'running' }, { node: FW2, step: 'wait', message: 'waiting for the nodes to settle', status: 'running' });
    await stream.push({ node: FW2, step: 'wait', message: 'waiting for the nodes to settle (fw1 preempts)', status: 'running' });
    expect(steps()).toEqual([
      ['run-step done', `done ${FW2} request: asking carpd on fw2 to leave maintenance`],
      ['run-step done', `done ${FW2} requested: maintenance off`],
      ['run-step running', `running ${FW2} wait: waiting for the nodes to settle (fw1 preempts)`],
    ]);
    await stream.push({ node: FW2, step: 'result', message: 'fw2 left maintenance; MASTER now: vhid 1 fw1', status: 'done', done: { ok: true, message: 'fw2 left maintenance; MASTER now: vhid 1 fw1' } });
    expect(run().getAttribute('data-result')).toBe('ok');
    expect(run().textContent).toContain('✓ Done');
    expect(run().querySelector('.run-result')?.textContent).toBe('fw2 left maintenance; MASTER now: vhid 1 fw1');
    expect(steps().map(([c]) => c)).toEqual(['run-step done', 'run-step done', 'run-step done']);
  });

  it('shows a failed action with the error and its fix, and a stream that ends without a result as failed', async () => {
    const source = await view();
    await click(within(card(FW1)).getByRole('button', { name: 'Resync states' }));
    await click(within(card(FW2)).getByRole('button', { name: 'Push config' }));
    await source.actions[0].stream.push({ node: FW1, step: 'request', message: 'asking fw1 for a full state resync', status: 'running' });
    await source.actions[0].stream.push({
      node: FW1,
      step: 'result',
      message: 'Resync failed on fw1',
      status: 'failed',
      done: { ok: false, message: 'Resync failed on fw1', error: { code: 'conntrackd', message: 'conntrackd is not running', fix: 'Start conntrackd: systemctl start conntrackd' } },
    });
    const failed = screen.getByRole('listitem', { name: `Resync states · ${FW1}` });
    expect(failed.getAttribute('data-result')).toBe('failed');
    expect(within(failed).getByRole('alert').textContent).toBe('Resync failed on fw1 (conntrackd is not running) Fix: Start conntrackd: systemctl start conntrackd');
    expect(failed.querySelector('li.run-step')?.className).toBe('run-step failed');
    await source.actions[1].stream.push({ node: FW2, step: 'push', message: 'sending', status: 'running' });
    await source.actions[1].stream.end();
    const cut = screen.getByRole('listitem', { name: `Push config · ${FW2}` });
    expect(cut.getAttribute('data-result')).toBe('failed');
    expect(cut.querySelector('li.run-step')?.className).toBe('run-step failed');
    expect(cut.textContent).toContain('The backend stopped reporting before this finished');
  });

  it('deploys a config from the text area with an upload bar from sent/total, refusing text that is not JSON', async () => {
    const source = await view();
    await click(within(card(FW1)).getByRole('button', { name: 'Deploy carpd…' }));
    const dialog = screen.getByRole('dialog', { name: `Deploy carpd to ${FW1}` });
    const text = within(dialog).getByLabelText('carpd config (JSON)');
    fireEvent.change(text, { target: { value: '{"node": "fw1",' } });
    await click(within(dialog).getByRole('button', { name: `Deploy to ${FW1}` }));
    expect(within(dialog).getByRole('alert').textContent).toMatch(/^The config is not valid JSON \(.+\)\. Fix the text or load the file again\.$/);
    expect(source.deploys).toEqual([]);
    const config = JSON.stringify({ node: 'fw1', vhids: [{ vhid: 1, interface: 'lan', advskew: 0, password: 'lab-secret', vips: ['10.0.1.1/24'] }] });
    fireEvent.change(text, { target: { value: config } });
    await click(within(dialog).getByRole('button', { name: `Deploy to ${FW1}` }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(source.deploys.map((d) => d.input)).toEqual([{ node: FW1, config }]);
    const stream = source.deploys[0].stream;
    await stream.push({ node: FW1, step: 'upload', message: 'node runtime', status: 'running', sent: 0, total: 4 * 1024 * 1024 });
    await stream.push({ node: FW1, step: 'upload', message: 'node runtime', status: 'running', sent: 1024 * 1024, total: 4 * 1024 * 1024 });
    const bar = screen.getByRole('progressbar', { name: `Upload to ${FW1}` }) as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([1024 * 1024, 4 * 1024 * 1024]);
    const run = screen.getByRole('listitem', { name: `Deploy carpd · ${FW1}` });
    expect(run.textContent).toContain('25 % · 1.0 MiB of 4.0 MiB');
    await stream.push({ node: FW1, step: 'start', message: 'carpd started under the supervisor', status: 'done', done: { ok: true, message: 'carpd 0.1.0 runs on fw1' } });
    expect(run.getAttribute('data-result')).toBe('ok');
  });

  it('loads a config from a file and sends its name', async () => {
    const source = await view();
    await click(within(card(FW2)).getByRole('button', { name: 'Deploy carpd…' }));
    const dialog = screen.getByRole('dialog');
    const file = new File(['{"node": "fw2", "vhids": []}'], 'fw2.json', { type: 'application/json' });
    await act(async () => fireEvent.change(within(dialog).getByLabelText('Config file'), { target: { files: [file] } }));
    await settle();
    expect((within(dialog).getByLabelText('carpd config (JSON)') as HTMLTextAreaElement).value).toBe('{"node": "fw2", "vhids": []}');
    await click(within(dialog).getByRole('button', { name: `Deploy to ${FW2}` }));
    expect(source.deploys.map((d) => d.input)).toEqual([{ node: FW2, config: '{"node": "fw2", "vhids": []}', configName: 'fw2.json' }]);
  });

  it('offers maintenance on or off, whichever changes something', async () => {
    await view();
    const labels = (id: string) => within(within(card(id)).getByRole('group', { name: `Actions on ${id}` })).getAllByRole('button').map((b) => b.textContent);
    expect(labels(FW1)).toEqual(['Maintenance on', 'Force failover', 'Restart carpd', 'Resync states', 'Push config', 'Deploy carpd…', 'Disconnect']);
    expect(labels(FW2).slice(0, 2)).toEqual(['Maintenance off', 'Force failover']);
  });

  it('keeps actions off while a node is not connected', async () => {
    const source = new FakeClusterSource();
    render(<ClusterView source={source} />);
    await settle();
    await source.nodeStream.push({ nodes: [node(FW1, { connection: { state: 'connecting' }, carpd: null })] });
    expect((within(card(FW1)).getByRole('button', { name: 'Force failover' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(card(FW1)).getByRole('button', { name: 'Deploy carpd…' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
