import { stateSyncSchema, type StateSyncConfig, type StateSyncConfigInput } from '../../../daemon/statesync/config.js';

export const syncConfig = (input: Partial<StateSyncConfigInput> = {}): StateSyncConfig =>
  stateSyncSchema.parse({ interface: 'sync', peer: '10.0.3.3', ...input });

/** `conntrackd -s` of conntrackd 1.4.7 (tabs as printed), with the numbers filled in. */
export function statsText(n: {
  internal?: number[];
  external?: number[];
  sent?: number;
  recv?: number;
  lost?: number;
  malformed?: number;
  transport?: string;
}): string {
  const [ia, ic, iu, id] = n.internal ?? [0, 0, 0, 0];
  const [ea, ec, eu, ed] = n.external ?? [0, 0, 0, 0];
  const pad = (v: number) => String(v).padStart(12);
  const cache = (name: string, a: number, c: number, u: number, d: number) =>
    `cache ${name}:\ncurrent active connections:\t${pad(a)}\nconnections created:\t\t${pad(c)}\tfailed:\t${pad(0)}\n` +
    `connections updated:\t\t${pad(u)}\tfailed:\t${pad(0)}\nconnections destroyed:\t\t${pad(d)}\tfailed:\t${pad(0)}\n\n`;
  return (
    cache('internal', ia, ic, iu, id) +
    cache('external', ea, ec, eu, ed) +
    `traffic processed:\n${pad(0).padStart(20)} Bytes                         0 Pckts\n\n` +
    `${n.transport ?? 'UDP'} traffic (active device=sync):\n` +
    `${String((n.sent ?? 0) * 16).padStart(20)} Bytes sent ${String((n.recv ?? 0) * 16).padStart(20)} Bytes recv\n` +
    `${String(n.sent ?? 0).padStart(20)} Pckts sent ${String(n.recv ?? 0).padStart(20)} Pckts recv\n` +
    `${pad(0).padStart(20)} Error send ${pad(0).padStart(20)} Error recv\n\n` +
    `message tracking:\n${pad(n.malformed ?? 0).padStart(20)} Malformed msgs ${String(n.lost ?? 0).padStart(20)} Lost msgs\n\n`
  );
}
