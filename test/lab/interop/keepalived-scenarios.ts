// Real keepalived 2.2.7 routers on a namespace segment. Stopping a MASTER with SIGTERM makes it send one
// advertisement with priority 0 (carp-wire.md §5.3), after which the backup takes over within its skew time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, LabNode } from '../harness/lab.js';
import type { LabProcess } from '../harness/proc.js';
import { sleep } from '../harness/wait.js';
import { recordSegment } from './segment.js';

export interface VrrpCapture {
  file: string;
  version: 2 | 3;
  vrid: number;
  vip: string;
  /** Node name → the source address of its advertisements (the link-local address for IPv6). */
  src: Record<string, string>;
}

const MASTER = /Entering MASTER STATE/;
const BACKUP = /Entering BACKUP STATE/;
const STATE_TIMEOUT_MS = 15_000;

function startKeepalived(lab: Lab, node: LabNode, version: 2 | 3, vrid: number, priority: number, vip: string): LabProcess {
  const conf = join(node.dir, 'keepalived.conf');
  writeFileSync(
    conf,
    [
      'global_defs {',
      `  router_id ix-${node.name}`,
      `  vrrp_version ${version}`,
      '}',
      'vrrp_instance ix {',
      `  state ${priority > 100 ? 'MASTER' : 'BACKUP'}`,
      '  interface eth0',
      `  virtual_router_id ${vrid}`,
      `  priority ${priority}`,
      '  advert_int 1',
      `  virtual_ipaddress {\n    ${vip}\n  }`,
      '}',
      '',
    ].join('\n'),
  );
  return lab.spawn(node, [
    'keepalived', '--dont-fork', '--log-console', '--log-detail', '--vrrp', '--use-file', conf,
    '--pid', join(node.dir, 'keepalived.pid'), '--vrrp_pid', join(node.dir, 'vrrp.pid'),
  ]);
}

/** A (priority 150) becomes master alone, B (priority 100) joins as backup, then A is stopped gracefully. */
export function recordKeepalivedFailover(version: 2 | 3, family: 4 | 6): Promise<VrrpCapture> {
  const vrid = 20 + version * 2 + (family === 6 ? 1 : 0);
  const name = `keepalived-vrrp${version}-ipv${family}-failover`;
  const v6 = family === 6;
  const addr = (host: number) => (v6 ? `2001:db8:77:${vrid}::${host}` : `10.77.${vrid}.${host}`);
  const plen = v6 ? 64 : 24;
  const vip = addr(100);
  const members = { a: [`${addr(1)}/${plen}`], b: [`${addr(2)}/${plen}`] };
  return recordSegment(`ixk${vrid}`, name, members, async ({ lab, nodes }) => {
    const src: Record<string, string> = {};
    for (const [n, node] of Object.entries(nodes)) {
      src[n] = v6 ? (await lab.addresses(node, 'eth0')).find((a) => a.startsWith('fe80:'))! : members[n as 'a' | 'b'][0].split('/')[0];
    }
    const a = startKeepalived(lab, nodes.a, version, vrid, 150, `${vip}/${plen}`);
    await a.waitForOutput(MASTER, STATE_TIMEOUT_MS);
    const b = startKeepalived(lab, nodes.b, version, vrid, 100, `${vip}/${plen}`);
    await b.waitForOutput(BACKUP, STATE_TIMEOUT_MS);
    await sleep(3000);
    await a.stop('SIGTERM');
    await b.waitForOutput(MASTER, STATE_TIMEOUT_MS);
    await sleep(2500);
    return { version, vrid, vip, src };
  });
}
