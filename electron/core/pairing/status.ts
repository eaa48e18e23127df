// The parts of `carpctl status --json` the pairing reads (the daemon's full schema is daemon/control/protocol.ts).
import { remoteStatus } from '../deploy/control.js';
import type { NodeSession } from '../ssh/privilege.js';

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
