import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../../daemon/configsync/identity.js';
import { carpctl, carpdUnavailableReason, runOk, startCarpd, type Carpd, type Lab, type LabNode } from '../harness/index.js';
import { requireRoot, useLab } from '../harness/vitest.js';

// carpd itself runs config sync: `carpctl sync-config diff|push`, `carpctl status` and the event log.

const RULES = '/var/lib/carpd/fw/ruleset.nft';
const ruleset = (port: number) => `table inet cdcarpd
delete table inet cdcarpd
table inet cdcarpd {
  chain input {
    type filter hook input priority 0; policy accept;
    iifname "eth7" tcp dport ${port} accept
  }
}
`;

let fw1: LabNode;
let fw2: LabNode;
const carpds: Carpd[] = [];
const inNs = (n: LabNode, p: string) => `/proc/${n.mountHolderPid}/root${p}`;

describe.skipIf(requireRoot(['nft', 'openssl']) || carpdUnavailableReason() !== null)('carpd with config sync (carpctl)', () => {
  const lab = useLab('cfgcarpd', async (l: Lab) => {
    const sync = await l.bridge('sync');
    fw1 = await l.node('fw1', { mountNs: true });
    fw2 = await l.node('fw2', { mountNs: true });
    await l.link(fw1, sync, { ifname: 'eth7', addrs: ['10.0.3.2/24'] });
    await l.link(fw2, sync, { ifname: 'ens9', addrs: ['10.0.3.3/24'] });
    const fps: string[] = [];
    for (const n of [fw1, fw2]) {
      await runOk(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(n.dir, 'node.key'), '-out', join(n.dir, 'node.crt'), '-days', '2', '-subj', `/CN=${n.name}`]);
      fps.push(fingerprintOf(readFileSync(join(n.dir, 'node.crt')))!);
      await l.execOk(n, ['mkdir', '-p', '/var/lib/carpd/fw']);
    }
    writeFileSync(inNs(fw1, RULES), ruleset(22));
    for (const [i, n] of [fw1, fw2].entries()) {
      const own = i === 0 ? { ifname: 'eth7', addr: '10.0.3.2' } : { ifname: 'ens9', addr: '10.0.3.3' };
      carpds.push(
        await startCarpd(l, n, {
          node: n.name,
          vhids: [{ vhid: 51, interface: own.ifname, advskew: i * 100, password: 'lab', vips: ['10.0.3.1/24'] }],
          configSync: {
            role: i === 0 ? 'source' : 'receiver',
            listen: own.addr,
            peer: { address: i === 0 ? '10.0.3.3' : '10.0.3.2', fingerprint: fps[1 - i] },
            key: join(n.dir, 'node.key'),
            cert: join(n.dir, 'node.crt'),
            sections: [{ name: 'nftables', files: [RULES] }],
            overrides: { interfaces: { sync: own.ifname } },
            // Only carpctl pushes in this suite, so every assertion sees exactly what it asked for.
            debounceMs: 60_000,
            checkInterval: 3600,
          },
        }),
      );
    }
  });

  const ctl = (i: number, args: string[]) => carpctl(carpds[i].socket, args);

  it('carpctl status shows each synced section in sync with the age of its last sync once the source has pushed', async () => {
    expect((await ctl(0, ['status'])).stdout).toMatch(/^ {2}nftables\s+UNKNOWN\s+never synced$/m);
    expect((await ctl(0, ['sync-config', 'push'])).stdout).toBe('applied on the peer: nftables\n');
    const s1 = await ctl(0, ['status']);
    expect(s1.stdout).toMatch(/^config sync: source, peer 10\.0\.3\.3:8443 reachable/m);
    expect(s1.stdout).toMatch(/^ {2}nftables\s+IN-SYNC\s+last sync \S+ \(\d+ s ago\)$/m);
    const json = JSON.parse((await ctl(1, ['status', '--json'])).stdout);
    expect(json.configSync).toMatchObject({ role: 'receiver', sections: [{ name: 'nftables', state: 'in-sync' }] });
    expect(readFileSync(inNs(fw2, RULES), 'utf8')).toContain('iifname "ens9" tcp dport 22 accept');
  });

  it('carpctl sync-config diff shows the change for the peer, push applies it, and the receiver logs the event', async () => {
    writeFileSync(inNs(fw1, RULES), ruleset(2022));
    const diff = await ctl(0, ['sync-config', 'diff']);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('== nftables: \n/var/lib/carpd/fw/ruleset.nft:\n+     iifname "ens9" tcp dport 2022 accept\n-     iifname "ens9" tcp dport 22 accept');
    const push = await ctl(0, ['sync-config', 'push']);
    expect(push.code).toBe(0);
    expect(push.stdout).toBe('applied on the peer: nftables\n');
    expect(await fw2Nft()).toContain('iifname "ens9" tcp dport 2022 accept');
    const events = (await ctl(1, ['events'])).stdout;
    expect(events).toMatch(/config sync applied: \[nftables\] revision \w+ from fw1/);
  });

  it('carpctl sync-config push on the receiver is refused with the reason', async () => {
    const r = await ctl(1, ['sync-config', 'push']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('this node is a sync receiver');
  });

  const fw2Nft = async () => (await lab().exec(fw2, ['nft', 'list', 'table', 'inet', 'cdcarpd'])).stdout;
});
