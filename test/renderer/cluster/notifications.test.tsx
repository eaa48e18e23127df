import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterView } from '../../../renderer/src/cluster/ClusterView.js';
import type { Notifier, NotifyPermission } from '../../../renderer/src/cluster/notifications.js';
import { event, FakeClusterSource, settle } from './fake-source.js';

afterEach(cleanup);

class FakeNotifier implements Notifier {
  requests = 0;
  shown: { title: string; body: string }[] = [];
  constructor(
    private state: NotifyPermission,
    private readonly answer: NotifyPermission = 'granted',
  ) {}
  permission = () => this.state;
  request = async () => {
    this.requests++;
    this.state = this.answer;
    return this.state;
  };
  show = (title: string, o: { body: string }) => {
    this.shown.push({ title, body: o.body });
  };
}

async function view(notifier: FakeNotifier) {
  const source = new FakeClusterSource();
  render(<ClusterView source={source} notifier={notifier} />);
  await settle();
  return source;
}

const failover = (seq: number) => event(seq, { node: 'root@10.77.0.12', vhid: 1, old: 'BACKUP', new: 'MASTER', cause: 'no advertisement from 10.0.1.2 for 3.2 s', failover: true });
const toggle = () => screen.getByRole('switch', { name: 'Enable notifications' }) as HTMLInputElement;

describe('failover notifications', () => {
  it('asks for permission only when the toggle is clicked, then notifies failovers that happen afterwards and nothing else', async () => {
    const notifier = new FakeNotifier('default');
    const source = await view(notifier);
    await source.timelineStream.push(failover(1));
    expect(notifier.requests).toBe(0);
    expect(notifier.shown).toEqual([]);
    await act(async () => fireEvent.click(toggle()));
    expect(notifier.requests).toBe(1);
    expect(toggle().checked).toBe(true);
    await source.timelineStream.push(event(2, { failover: false, cause: 'demotion 240' }), failover(3));
    expect(notifier.shown).toEqual([{ title: 'Failover: vhid 1 is now MASTER on root@10.77.0.12', body: 'no advertisement from 10.0.1.2 for 3.2 s' }]);
  });

  it('shows nothing while notifications are off, and stops when they are turned off again', async () => {
    const notifier = new FakeNotifier('granted');
    const source = await view(notifier);
    await source.timelineStream.push(failover(1));
    expect(notifier.shown).toHaveLength(0);
    await act(async () => fireEvent.click(toggle()));
    expect(notifier.requests).toBe(0);
    await source.timelineStream.push(failover(2));
    await act(async () => fireEvent.click(toggle()));
    expect(toggle().checked).toBe(false);
    await source.timelineStream.push(failover(3));
    expect(notifier.shown.map((n) => n.title)).toHaveLength(1);
  });

  it('does not notify a failover again when a resumed stream replays it', async () => {
    const notifier = new FakeNotifier('granted');
    const source = await view(notifier);
    await act(async () => fireEvent.click(toggle()));
    await source.timelineStream.push(failover(1));
    await source.timelineStream.push(failover(1));
    expect(notifier.shown).toHaveLength(1);
  });

  it('explains a refused permission and stays off', async () => {
    const notifier = new FakeNotifier('default', 'denied');
    const source = await view(notifier);
    await act(async () => fireEvent.click(toggle()));
    expect(toggle().checked).toBe(false);
    expect(screen.getByRole('note').textContent).toContain('Notifications are blocked for this page');
    await source.timelineStream.push(failover(1));
    expect(notifier.shown).toHaveLength(0);
  });
});
