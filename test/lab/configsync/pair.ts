// Two carpd nodes running config sync on one sync link, each in its own mount namespace (lab tests and the bench).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintOf } from '../../../daemon/configsync/identity.js';
import { carpctlBin, runOk, startCarpd, type Carpd, type Lab, type LabNode } from '../harness/index.js';

export const RULES = '/var/lib/carpd/fw/ruleset.nft';
/** carpd's vhidsFile on both nodes, synced by the "vips" section. */
export const VIPS = '/var/lib/carpd/fw/vips.json';

export const ruleset = (port: number, ifname = 'eth7') => `table inet cdcarpd
delete table inet cdcarpd
table inet cdcarpd {
  chain input {
    type filter hook input priority 0; policy accept;
    iifname "${ifname}" tcp dport ${port} accept
  }
}
`;

export const vipsFile = (ifname: string, advskew: number, vhid: { advbase?: number; vips?: string[] } = {}) =>
  `${JSON.stringify({ vhids: [{ vhid: 51, interface: ifname, advbase: vhid.advbase ?? 1, advskew, password: 'lab', vips: vhid.vips ?? ['10.0.3.1/24'] }] }, null, 2)}\n`;

/** A path inside the node's mount namespace, reachable from the host. */
export const inNs = (n: LabNode, p: string) => `/proc/${n.mountHolderPid}/root${p}`;

export interface SyncPair {
  fw1: LabNode;
  fw2: LabNode;
  /** [fw1 (source), fw2 (receiver)] */
  carpds: [Carpd, Carpd];
}

export interface PairOptions {
  /** Also sync carpd's vhidsFile ("vips" preset, applied with carpctl reload on this node's socket). */
  vips: boolean;
  debounceMs?: number;
  checkInterval?: number;
}

const NODES = [
  { name: 'fw1', ifname: 'eth7', addr: '10.0.3.2', advskew: 0 },
  { name: 'fw2', ifname: 'ens9', addr: '10.0.3.3', advskew: 100 },
] as const;

export async function startSyncPair(l: Lab, o: PairOptions): Promise<SyncPair> {
  const sync = await l.bridge('sync');
  const nodes = [await l.node('fw1', { mountNs: true }), await l.node('fw2', { mountNs: true })];
  const fps: string[] = [];
  for (const [i, n] of nodes.entries()) {
    await l.link(n, sync, { ifname: NODES[i].ifname, addrs: [`${NODES[i].addr}/24`] });
    await runOk(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(n.dir, 'node.key'), '-out', join(n.dir, 'node.crt'), '-days', '2', '-subj', `/CN=${n.name}`]);
    fps.push(fingerprintOf(readFileSync(join(n.dir, 'node.crt')))!);
    await l.execOk(n, ['mkdir', '-p', '/var/lib/carpd/fw']);
    writeFileSync(inNs(n, VIPS), vipsFile(NODES[i].ifname, NODES[i].advskew));
  }
  writeFileSync(inNs(nodes[0], RULES), ruleset(22));
  const carpds: Carpd[] = [];
  for (const [i, n] of nodes.entries()) {
    const own = NODES[i];
    const socket = join(n.dir, 'carpd.sock');
    const sections: unknown[] = [{ name: 'nftables', files: [RULES] }];
    if (o.vips) sections.push({ name: 'vips', files: [VIPS], apply: [process.execPath, carpctlBin, '--socket', socket, 'reload'] });
    carpds.push(
      await startCarpd(l, n, {
        node: n.name,
        controlSocket: socket,
        vhids: [],
        vhidsFile: VIPS,
        configSync: {
          role: i === 0 ? 'source' : 'receiver',
          listen: own.addr,
          peer: { address: NODES[1 - i].addr, fingerprint: fps[1 - i] },
          key: join(n.dir, 'node.key'),
          cert: join(n.dir, 'node.crt'),
          sections,
          overrides: { interfaces: { sync: own.ifname }, jsonOverlay: { [VIPS]: { '/vhids/0/advskew': own.advskew } } },
          ...(o.debounceMs !== undefined ? { debounceMs: o.debounceMs } : {}),
          ...(o.checkInterval !== undefined ? { checkInterval: o.checkInterval } : {}),
        },
      }),
    );
  }
  return { fw1: nodes[0], fw2: nodes[1], carpds: [carpds[0], carpds[1]] };
}
