// Forced failover, the pfSense way: the node that is master goes into persistent maintenance (it bows out and its
// VIPs move), and the result is what the nodes then report, not what was asked for.
import type { NodeSession } from '../ssh/privilege.js';
import { DeployError } from './errors.js';
import { remoteStatus, setMaintenance } from './control.js';

interface VhidStatus {
  vhid: number;
  state: string;
}

export interface FailoverResult {
  from: string;
  to: string;
  vhids: number[];
  seconds: number;
}

const mastered = async (s: NodeSession): Promise<number[]> =>
  ((await remoteStatus(s)) as { vhids?: VhidStatus[] }).vhids?.filter((v) => v.state === 'MASTER').map((v) => v.vhid) ?? [];

export async function forceFailover(sessions: NodeSession[], timeoutMs = 15_000): Promise<FailoverResult> {
  if (sessions.length < 2) throw new DeployError('remote-failed', 'a failover needs both nodes of the pair (--node twice)', 'failover');
  const masters = await Promise.all(sessions.map(mastered));
  const fromIndex = masters.findIndex((m) => m.length > 0);
  if (fromIndex < 0) throw new DeployError('remote-failed', 'no node is master of any vhid: nothing to fail over', 'failover');
  const from = sessions[fromIndex];
  const vhids = masters[fromIndex];
  const started = Date.now();
  await setMaintenance(from, true);
  const peers = sessions.filter((s) => s !== from);
  while (Date.now() - started < timeoutMs) {
    for (const peer of peers) {
      const now = await mastered(peer);
      if (vhids.every((v) => now.includes(v))) return { from: from.label, to: peer.label, vhids, seconds: (Date.now() - started) / 1000 };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new DeployError(
    'remote-failed',
    `${from.label} bowed out, but no peer reported MASTER for vhid ${vhids.join(', ')} within ${timeoutMs / 1000} s; ${from.label} stays in maintenance and keeps the VIPs it still holds, so nothing went down (check the peer's status; "carpdeck maintenance off" cancels)`,
    'failover',
  );
}
