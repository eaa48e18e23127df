import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscoverySnapshotSchema, type DiscoveryUpdate } from '../../../shared/api/contract.js';
import type { DiscoverySnapshot } from '../../../shared/discovery/types.js';
import { DiscoveryView } from '../../../renderer/src/discovery/DiscoveryView.js';
import type { DiscoverySource } from '../../../renderer/src/discovery/source.js';

afterEach(cleanup);

const T = 1_800_000_000;

const SNAPSHOT: DiscoverySnapshot = {
  time: T + 10,
  started: T,
  interface: 'eth0',
  packets: 30,
  groups: [
    {
      id: 'carp:30', kind: 'carp', protocol: 'carp', vhid: 30, family: 4, vlans: [],
      master: { address: '10.0.1.7', mac: '00:00:5e:00:01:1e', vendor: { id: 'carpd', label: 'carpd', basis: 'IPv4 id 0' }, since: T },
      lastMaster: '10.0.1.7', advbase: 1, advskew: 0, demote: 0, announcedInterval: 1, measuredInterval: 1, demoted: false, state: 'advertising',
      adverts: 10, firstSeen: T, lastSeen: T + 9.5, sources: ['10.0.1.7'], masterChanges: 0, history: [1, 1],
      backups: [{ node: 'c2', address: '10.0.1.8', verified: true }],
    },
  ],
  nodes: [
    { name: 'c1', version: '0.1.0', address: '10.0.1.7', sshPort: 22, vhids: [{ vhid: 30, role: 'master' }], verified: false, lastSeen: T + 9.8 },
    { name: 'c2', version: '0.1.0', address: '10.0.1.8', sshPort: 2222, managementAddress: '192.168.77.8', vhids: [{ vhid: 30, role: 'backup' }], verified: true, lastSeen: T + 9.7 },
  ],
  sync: [],
  findings: [],
  events: [],
};

/** Gives one snapshot, as the API delivers it (through its schema), then waits. */
function source(update: DiscoveryUpdate): DiscoverySource {
  return {
    interfaces: async () => [{ name: 'eth0', mac: null, addresses: ['10.0.1.100/24'], state: 'up', loopback: false }],
    async watch(_input, signal) {
      return (async function* () {
        yield update;
        await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
      })();
    },
    record: () => Promise.reject(new Error('not recording in this test')),
    recordingChunk: () => Promise.reject(new Error('not recording in this test')),
  };
}

describe('Discovery view: carpd nodes from their beacons', () => {
  it('lists every carpd node with version, roles, SSH address and whether its beacon verified, and the group\'s backup', async () => {
    const snapshot = DiscoverySnapshotSchema.parse(SNAPSHOT);
    render(<DiscoveryView source={source({ seq: 1, kind: 'snapshot', snapshot })} />);
    const pick = await screen.findByRole('button', { name: 'Listen on eth0' });
    await act(async () => fireEvent.click(pick));
    const c2 = (await screen.findByText('c2', { selector: 'strong' })).closest('li') as HTMLElement;
    expect(c2.textContent).toContain('10.0.1.8 · carpd 0.1.0 · vhid 30 backup · SSH 192.168.77.8:2222');
    expect(c2.querySelector('.badge')?.textContent).toBe('verified');
    const c1 = document.querySelector('li[data-node="c1"]') as HTMLElement;
    expect(c1.textContent).toContain('vhid 30 master · SSH 10.0.1.7:22');
    expect(c1.querySelector('.badge')?.textContent).toBe('unverified');
    expect(document.querySelector('tr[data-group="carp:30"] .backups')?.textContent).toBe('backup: c2 (10.0.1.8)');
  });
});
