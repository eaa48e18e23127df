import { describe, expect, it } from 'vitest';
import { preflight } from '../../../daemon/statesync/preflight.js';
import { FakeHost } from './fakehost.js';
import { syncConfig } from './fixtures.js';

const failed = async (host: FakeHost, peerHeard: boolean | null = null) => {
  const r = await preflight(syncConfig(), host, peerHeard);
  return r.checks.filter((c) => !c.ok).map((c) => ({ id: c.id, message: c.message, fix: c.fix }));
};

describe('state sync preflight', () => {
  it('passes on a ready node and says what it found', async () => {
    const r = await preflight(syncConfig(), new FakeHost(), true);
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => `${c.id}: ${c.message}`)).toEqual([
      'conntrackd-installed: Connection tracking userspace daemon v1.4.7.',
      'sync-interface: sync is up',
      'sync-address: this node syncs from 10.0.3.2',
      'peer-reachable: 10.0.3.3 answers on sync',
      "peer-messages: the peer's conntrackd messages arrive",
      'conntrack-accounting: conntrack accounting is on',
    ]);
  });

  it('names a missing conntrackd and how to install it', async () => {
    const host = new FakeHost();
    host.state.installed = false;
    expect(await failed(host)).toEqual([
      { id: 'conntrackd-installed', message: 'conntrackd cannot be run: spawn conntrackd ENOENT', fix: 'install conntrackd (Debian: apt-get install conntrackd) or set stateSync.conntrackd to its path' },
    ]);
  });

  it('reports a sync interface that is down, one that does not exist, and one without an address', async () => {
    const down = new FakeHost();
    down.state.flags = ['BROADCAST', 'UP'];
    expect((await failed(down)).map((c) => c.message)).toEqual(['sync is down (DOWN)']);
    const missing = new FakeHost();
    missing.state.interfaceExists = false;
    expect((await failed(missing)).map((c) => c.id)).toEqual(['sync-interface', 'sync-address']);
    const bare = new FakeHost();
    bare.state.addr = [{ family: 'inet6', local: 'fe80::1', scope: 'link' }];
    expect((await failed(bare)).map((c) => c.message)).toEqual(['sync has no usable address']);
  });

  it('reports a peer that does not answer and a peer whose conntrackd messages do not arrive', async () => {
    const host = new FakeHost();
    host.state.pingOk = false;
    expect((await failed(host, false)).map((c) => c.id)).toEqual(['peer-reachable', 'peer-messages']);
  });

  it('asks to turn conntrack accounting on, and explains when nf_conntrack is not loaded', async () => {
    const off = new FakeHost();
    off.state.acct = '0';
    expect(await failed(off)).toEqual([
      { id: 'conntrack-accounting', message: 'conntrack accounting is off', fix: 'sysctl -w net.netfilter.nf_conntrack_acct=1 (and persist it in /etc/sysctl.d)' },
    ]);
  });
});
