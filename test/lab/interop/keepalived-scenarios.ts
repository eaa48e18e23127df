// Real keepalived 2.2.7 routers on a namespace segment. Stopping a MASTER with SIGTERM makes it send one
// advertisement with priority 0 (carp-wire.md §5.3), after which the backup takes over within its skew time.
import { startKeepalived } from '../harness/keepalived.js';
import type { Lab, LabNode } from '../harness/lab.js';
import type { LabProcess } from '../harness/proc.js';
import { sleep } from '../harness/wait.js';
import { recordSegment, type Recorded } from './segment.js';

export interface VrrpCapture extends Recorded {
  version: 2 | 3;
  vrid: number;
  vip: string;
  /** Node name → the source address of its advertisements (the link-local address for IPv6). */
  src: Record<string, string>;
}

const MASTER = /Entering MASTER STATE/;
const BACKUP = /Entering BACKUP STATE/;
const STATE_TIMEOUT_MS = 15_000;

/**
 * A crash sends nothing: the VRRP child is killed while its parent is stopped (a running parent would respawn it,
 * and a parent's death makes the child exit gracefully), then the parent. All by pid.
 */
async function crash(lab: Lab, node: LabNode, parent: LabProcess): Promise<void> {
  const children = (await lab.exec(node, ['ps', '-o', 'pid=', '--ppid', String(parent.pid)])).stdout.split(/\s+/).filter(Boolean);
  if (children.length === 0) throw new Error(`keepalived (pid ${parent.pid}) has no VRRP child to crash`);
  parent.kill('SIGSTOP');
  for (const pid of children) process.kill(Number(pid), 'SIGKILL');
  await parent.stop('SIGKILL');
}

/**
 * A (priority 150) becomes master alone, B (priority 100) joins as backup, then A is stopped: gracefully (SIGTERM,
 * a priority-0 advertisement) or by a crash (silence until B's master-down timer fires). A crashed A is started
 * again: it ignores B's lower priority, its own master-down timer fires and it preempts B.
 */
export function recordKeepalivedFailover(version: 2 | 3, family: 4 | 6, stop: 'graceful' | 'crash' = 'graceful'): Promise<VrrpCapture> {
  const vrid = 20 + version * 2 + (family === 6 ? 1 : 0) + (stop === 'crash' ? 10 : 0);
  const name = `keepalived-vrrp${version}-ipv${family}-${stop === 'crash' ? 'crash-and-return' : 'failover'}`;
  const v6 = family === 6;
  const addr = (host: number) => (v6 ? `2001:db8:77:${vrid}::${host}` : `10.77.${vrid}.${host}`);
  const plen = v6 ? 64 : 24;
  const vip = addr(100);
  const members = { a: [`${addr(1)}/${plen}`], b: [`${addr(2)}/${plen}`] };
  return recordSegment(`ixk${vrid}`, name, members, async ({ lab, nodes }) => {
    const src: Record<string, string> = {};
    for (const [n, node] of Object.entries(nodes)) {
      const own = (await lab.addresses(node, 'eth0')).find((x) => (v6 ? x.startsWith('fe80:') : !x.includes(':')));
      if (!own) throw new Error(`node ${n} has no ${v6 ? 'link-local IPv6' : 'IPv4'} address on eth0 to advertise from`);
      src[n] = own;
    }
    const common = { ifname: 'eth0', vrid, version, vips: [`${vip}/${plen}`] };
    const a = startKeepalived(lab, nodes.a, { ...common, priority: 150, state: 'MASTER' });
    await a.waitForOutput(MASTER, STATE_TIMEOUT_MS);
    const b = startKeepalived(lab, nodes.b, { ...common, priority: 100, state: 'BACKUP' });
    await b.waitForOutput(BACKUP, STATE_TIMEOUT_MS);
    await sleep(3000);
    if (stop === 'crash') await crash(lab, nodes.a, a);
    else await a.stop('SIGTERM');
    await b.waitForOutput(MASTER, STATE_TIMEOUT_MS);
    await sleep(2500);
    if (stop === 'crash') {
      const back = startKeepalived(lab, nodes.a, { ...common, priority: 150, state: 'MASTER' });
      await back.waitForOutput(MASTER, STATE_TIMEOUT_MS);
      await sleep(2500);
    }
    return { version, vrid, vip, src };
  }, { cooked: v6 && stop === 'graceful' });
}
