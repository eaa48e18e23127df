import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveryInterface, DiscoveryRecording, DiscoveryRecordingChunk, DiscoveryUpdate, DiscoveryWatchInput } from '../../../shared/api/contract.js';
import { DiscoveryView } from '../../../renderer/src/discovery/DiscoveryView.js';
import type { DiscoverySource } from '../../../renderer/src/discovery/source.js';
import { hashForView, viewFromHash } from '../../../renderer/src/shell/use-hash-view.js';

afterEach(cleanup);

type Snapshot = Extract<DiscoveryUpdate, { kind: 'snapshot' }>['snapshot'];
type Group = Snapshot['groups'][number];

const T = 1_800_000_000;
const IFACES: DiscoveryInterface[] = [
  { name: 'lo', mac: null, addresses: ['127.0.0.1/8'], state: 'up', loopback: true },
  { name: 'eth0', mac: '02:00:00:00:00:01', addresses: ['192.168.1.50/24'], state: 'up', loopback: false },
  { name: 'wlan0', mac: '02:00:00:00:00:02', addresses: [], state: 'down', loopback: false },
];

function group(over: Partial<Group>): Group {
  return {
    id: 'carp:11', kind: 'carp', protocol: 'carp', vhid: 11, family: 4, vlans: [],
    master: { address: '10.0.1.2', mac: '00:00:5e:00:00:0b', vendor: { id: 'ucarp', label: 'ucarp', basis: 'source MAC 00:00:5e:00:00:0b, TOS 0x10' }, since: T },
    lastMaster: '10.0.1.2', advbase: 1, advskew: 0, demote: 0, announcedInterval: 1, measuredInterval: 1.01, demoted: false, state: 'advertising',
    adverts: 12, firstSeen: T, lastSeen: T + 11, sources: ['10.0.1.2'], masterChanges: 0, history: [1, 1, 0, 1],
    ...over,
  };
}

function snapshot(groups: Group[], over: Partial<Snapshot> = {}): Snapshot {
  return { time: T + 12, started: T, interface: 'eth0', packets: 40, groups, nodes: [], sync: [], findings: [], events: [], ...over };
}

/** A watch whose updates the test pushes one by one. */
class FakeSource implements DiscoverySource {
  probes: number[] = [];
  watches: DiscoveryWatchInput[] = [];
  aborted = false;
  private queue: DiscoveryUpdate[] = [];
  private wake: (() => void) | null = null;

  async interfaces(probeSeconds: number) {
    this.probes.push(probeSeconds);
    return probeSeconds > 0 ? IFACES.map((i) => (i.name === 'eth0' ? { ...i, probe: { groups: ['carp:11'], syncFlows: 0, hint: 'HA traffic: carp:11' } } : i)) : IFACES;
  }

  async watch(input: DiscoveryWatchInput, signal: AbortSignal) {
    this.watches.push(input);
    signal.addEventListener('abort', () => {
      this.aborted = true;
      this.wake?.();
    });
    return this.updates(signal);
  }

  private async *updates(signal: AbortSignal): AsyncGenerator<DiscoveryUpdate> {
    while (!signal.aborted) {
      const u = this.queue.shift();
      if (u) {
        yield u;
        if (u.kind === 'end') return;
      } else await new Promise<void>((r) => (this.wake = r));
    }
  }

  record(): Promise<DiscoveryRecording> {
    return Promise.reject(new Error('no recording in this test'));
  }

  recordingChunk(): Promise<DiscoveryRecordingChunk> {
    return Promise.reject(new Error('no recording in this test'));
  }

  async push(u: DiscoveryUpdate) {
    await act(async () => {
      this.queue.push(u);
      this.wake?.();
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

async function startOn(source: FakeSource, name: string) {
  render(<DiscoveryView source={source} />);
  const pick = await screen.findByRole('button', { name: `Listen on ${name}` });
  await act(async () => fireEvent.click(pick));
}

describe('Discovery view', () => {
  it('lists the interfaces with link state and addresses, then after a short listen which one carries HA traffic', async () => {
    const source = new FakeSource();
    render(<DiscoveryView source={source} />);
    const eth0 = await screen.findByRole('button', { name: 'Listen on eth0' });
    expect(eth0.textContent).toContain('192.168.1.50/24');
    expect(screen.queryByRole('button', { name: 'Listen on lo' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Listen on wlan0' }) as HTMLButtonElement).disabled).toBe(true);
    expect((await screen.findByText('HA traffic: carp:11')).className).toBe('iface-hint ha');
    expect(source.probes).toEqual([0, 2]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Find HA traffic' })));
    expect(source.probes).toEqual([0, 2, 2]);
  });

  it('shows each group\'s master live and a failover the moment it arrives', async () => {
    const source = new FakeSource();
    await startOn(source, 'eth0');
    expect(source.watches).toEqual([{ interface: 'eth0', secrets: undefined, snapshotMs: 1000 }]);
    expect(screen.getByRole('status').textContent).toBe('Listening on eth0');
    await source.push({ seq: 1, kind: 'event', event: { seq: 1, time: T + 1, kind: 'master', group: 'carp:11', vhid: 11, from: null, to: '10.0.1.2', cause: 'first-seen', message: 'carp:11: 10.0.1.2 is master' } });
    await source.push({ seq: 2, kind: 'snapshot', snapshot: snapshot([group({}), group({ id: 'vrrp:20', kind: 'vrrp3', protocol: 'vrrp', vhid: 20, advbase: undefined, advskew: undefined, demote: undefined, priority: 200, master: { address: '10.0.1.4', mac: 'be:66:f8:8f:53:b2', vendor: { id: 'keepalived', label: 'keepalived (VRRP)', basis: 'TOS 0xc0' }, since: T } })]) });
    const row = (id: string) => document.querySelector(`tr[data-group="${id}"]`) as HTMLElement;
    expect(row('carp:11').textContent).toContain('10.0.1.2');
    expect(row('carp:11').textContent).toContain('ucarp');
    expect(row('carp:11').textContent).toContain('advbase 1 · advskew 0');
    expect(row('carp:11').textContent).toContain('1.00 s (measured 1.01 s)');
    expect(row('carp:11').textContent).not.toContain('also heard');
    expect(row('vrrp:20').textContent).toContain('priority 200');
    expect(within(row('carp:11')).getByRole('img', { name: '12 advertisements' })).toBeTruthy();

    await source.push({ seq: 3, kind: 'event', event: { seq: 2, time: T + 15, kind: 'master', group: 'carp:11', vhid: 11, from: '10.0.1.2', to: '10.0.1.3', cause: 'takeover-after-silence', message: 'carp:11: failover, 10.0.1.3 took over 3.10 s after 10.0.1.2\'s last advertisement' } });
    await source.push({ seq: 4, kind: 'snapshot', snapshot: snapshot([group({ master: { address: '10.0.1.3', mac: '00:00:5e:00:00:0b', vendor: { id: 'ucarp', label: 'ucarp', basis: '' }, since: T + 15 }, sources: ['10.0.1.2', '10.0.1.3'] })]) });
    expect(row('carp:11').textContent).toContain('also heard: 10.0.1.2');
    const failover = screen.getByText(/failover, 10\.0\.1\.3 took over/);
    expect(failover.className).toBe('event failover');
    expect(document.querySelector('.event-list li')).toBe(failover);
  });

  it('shows findings with their fix, silent groups and demotions', async () => {
    const source = new FakeSource();
    await startOn(source, 'eth0');
    const finding = { kind: 'vhid-collision', severity: 'error' as const, time: T + 2, vhid: 11, group: 'vrrp:11', message: 'ID 11 is used by CARP (10.0.1.2) and VRRP (10.0.1.6)', fix: 'Give them different IDs.', frames: [3] };
    await source.push({ seq: 1, kind: 'snapshot', snapshot: snapshot([group({ state: 'silent', master: null }), group({ id: 'carp:12', vhid: 12, advskew: 240, demoted: true })], { findings: [finding] }) });
    expect(document.querySelector('tr[data-group="carp:11"]')?.className).toBe('silent');
    expect(document.querySelector('tr[data-group="carp:11"]')?.textContent).toContain('silent (was 10.0.1.2)');
    expect(document.querySelector('tr[data-group="carp:12"]')?.textContent).toContain('demoted');
    const item = document.querySelector('[data-kind="vhid-collision"]') as HTMLElement;
    expect(item.textContent).toContain('ID 11 is used by CARP (10.0.1.2) and VRRP (10.0.1.6)');
    expect(item.textContent).toContain('Fix: Give them different IDs.');
  });

  it('shows the ten most severe findings first, the rest on request', async () => {
    const source = new FakeSource();
    await startOn(source, 'eth0');
    const findings = Array.from({ length: 14 }, (_, i) => ({ kind: i === 13 ? 'split-brain' : 'irregular-interval', severity: i === 13 ? ('error' as const) : ('warning' as const), time: T + i, group: `carp:${i + 1}`, message: `finding ${i}`, fix: 'x', frames: [] }));
    await source.push({ seq: 1, kind: 'snapshot', snapshot: snapshot([], { findings }) });
    const shown = () => [...document.querySelectorAll('.findings li')].map((li) => li.getAttribute('data-kind'));
    expect(shown()).toHaveLength(10);
    expect(shown()[0]).toBe('split-brain');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Show all 14 findings' })));
    expect(shown()).toHaveLength(14);
  });

  it('shows the newest 30 events first, all of them on request', async () => {
    const source = new FakeSource();
    await startOn(source, 'eth0');
    await source.push({ seq: 0, kind: 'snapshot', snapshot: snapshot([]) });
    for (let i = 1; i <= 40; i++) {
      await source.push({ seq: i, kind: 'event', event: { seq: i, time: T + i, kind: 'master', group: `carp:${i}`, vhid: i, from: null, to: '10.0.1.2', cause: 'first-seen', message: `carp:${i}: 10.0.1.2 is master` } });
    }
    const shown = () => [...document.querySelectorAll('.event-list li')].map((li) => li.textContent?.replace(/^\S+ /, ''));
    expect(shown()).toHaveLength(30);
    expect(shown()[0]).toBe('carp:40: 10.0.1.2 is master');
    expect(shown()[29]).toBe('carp:11: 10.0.1.2 is master');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Show all 40 events' })));
    expect(shown()).toHaveLength(40);
    expect(shown()[39]).toBe('carp:1: 10.0.1.2 is master');
  });

  it('keeps the last findings when a busy stream\'s snapshot leaves them out, and takes the groups from it', async () => {
    const source = new FakeSource();
    await startOn(source, 'eth0');
    const findings = Array.from({ length: 3 }, (_, i) => ({ kind: 'irregular-interval', severity: 'warning' as const, time: T + i, group: `carp:${i + 1}`, message: `finding ${i}`, fix: 'x', frames: [] }));
    await source.push({ seq: 1, kind: 'snapshot', snapshot: snapshot([group({})], { findings }) });
    await source.push({ seq: 2, kind: 'snapshot', snapshot: snapshot([group({ adverts: 99 })], { findings: [] }), findingsOmitted: true });
    expect([...document.querySelectorAll('.findings li')].map((li) => li.textContent)).toEqual(findings.map((f) => expect.stringContaining(f.message)));
    expect(document.querySelector('tr[data-group="carp:11"]')?.textContent).toContain('99');
    await source.push({ seq: 3, kind: 'snapshot', snapshot: snapshot([group({})], { findings: [] }) });
    expect(document.querySelectorAll('.findings li')).toHaveLength(0);
  });

  it('explains a permission error with what each operating system needs', async () => {
    const source = new FakeSource();
    await startOn(source, 'eth0');
    await source.push({ seq: 1, kind: 'end', snapshot: snapshot([]), error: { code: 'permission-denied', message: 'no permission to capture on eth0', fix: 'sudo setcap cap_net_raw,cap_net_admin=eip /opt/carpdeck/capture-helper' } });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('no permission to capture on eth0');
    expect(alert.textContent).toContain('setcap cap_net_raw,cap_net_admin=eip');
    expect(alert.textContent).toContain('Npcap');
    expect(alert.textContent).toContain('/dev/bpf');
    expect(screen.getByRole('status').textContent).toBe('Stopped listening on eth0');
  });

  it('checks HMACs with the CARP passwords entered before listening', async () => {
    const source = new FakeSource();
    render(<DiscoveryView source={source} />);
    await screen.findByRole('button', { name: 'Listen on eth0' });
    fireEvent.click(screen.getByRole('button', { name: 'Add a password' }));
    fireEvent.change(screen.getByLabelText('Secret 1 vhid'), { target: { value: '11' } });
    fireEvent.change(screen.getByLabelText('Secret 1 password'), { target: { value: 's3cret' } });
    fireEvent.change(screen.getByLabelText('Secret 1 virtual IPs'), { target: { value: '10.0.1.1' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Listen on eth0' })));
    expect(source.watches).toEqual([{ interface: 'eth0', secrets: [{ vhid: 11, password: 's3cret', vips: ['10.0.1.1'] }], snapshotMs: 1000 }]);
  });

  it('does not listen while a password row is incomplete, and says what is missing', async () => {
    const source = new FakeSource();
    render(<DiscoveryView source={source} />);
    await screen.findByRole('button', { name: 'Listen on eth0' });
    fireEvent.click(screen.getByRole('button', { name: 'Add a password' }));
    fireEvent.change(screen.getByLabelText('Secret 1 vhid'), { target: { value: '300' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Listen on eth0' })));
    expect(source.watches).toEqual([]);
    expect(document.body.textContent).toContain('Secret 1: vhid must be a number from 1 to 255.');
  });

  it('stops the capture when asked', async () => {
    const source = new FakeSource();
    await startOn(source, 'eth0');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Stop' })));
    expect(source.aborted).toBe(true);
    expect(screen.getByRole('button', { name: 'Listen again' })).toBeTruthy();
  });
});

describe('view in the URL fragment', () => {
  it('keeps the serve token when switching views', () => {
    expect(viewFromHash('#token=abc')).toBe('diagnostics');
    expect(hashForView('#token=abc', 'discovery')).toBe('#token=abc&view=discovery');
    expect(viewFromHash('#token=abc&view=discovery')).toBe('discovery');
    expect(hashForView('#token=abc&view=discovery', 'diagnostics')).toBe('#token=abc&view=diagnostics');
    expect(viewFromHash('#discovery')).toBe('discovery');
    expect(viewFromHash('#view=nonsense')).toBe('diagnostics');
  });
});
