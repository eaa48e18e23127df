// The parts of `carpctl status --json` the pairing reads (the daemon's full schema is daemon/control/protocol.ts).
import { remoteStatus } from '../deploy/control.js';
import { carpctlArgv } from '../deploy/layout.js';
import type { NodeSession } from '../ssh/privilege.js';
import { CONTROL_SOCKET } from './node-files.js';

export interface NodeStatus {
  node: string;
  maintenance: boolean;
  demotion: number;
  demotionReasons: Record<string, number>;
  vhids: { vhid: number; interface: string; state: 'INIT' | 'BACKUP' | 'MASTER'; vips: string[] }[];
  stateSync?: { ready: boolean; readyReason: string; peerReachable: boolean; conntrackd: { running: boolean } };
  configSync?: { role: string; peer: { reachable: boolean | null; error: string | null }; sections: { name: string; state: 'in-sync' | 'drifted' | 'unknown' }[] };
}

export type StatusSource = (session: NodeSession) => Promise<NodeStatus>;

export const sshStatus: StatusSource = async (session) => (await remoteStatus(session)) as NodeStatus;

/** One line of `carpctl events --json` (daemon/events/types.ts has every kind). */
export interface CarpdEvent {
  seq: number;
  time: string;
  kind: string;
  vhid: number | null;
  interface?: string;
  old?: unknown;
  new?: unknown;
  event?: string;
  cause: string;
}

/** The events in `carpctl events --json` output (other lines are ignored). */
export function parseEvents(stdout: string): CarpdEvent[] {
  const out: CarpdEvent[] = [];
  for (const line of stdout.split('\n')) {
    try {
      const e = JSON.parse(line) as CarpdEvent;
      if (typeof e?.seq === 'number') out.push(e);
    } catch {
      // not an event line
    }
  }
  return out;
}

/** carpd's event log on a node, oldest first; empty when carpctl cannot be run. `session` must run as root. */
export async function readEvents(session: Pick<NodeSession, 'exec'>): Promise<CarpdEvent[]> {
  const r = await session.exec([...carpctlArgv(CONTROL_SOCKET), 'events', '--json']).catch(() => undefined);
  return r?.code === 0 ? parseEvents(r.stdout) : [];
}
