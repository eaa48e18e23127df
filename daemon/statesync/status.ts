import { z } from 'zod';

/** `status().stateSync` on carpd's control socket (mirrors StateSyncStatus in sync.ts). */
export const stateSyncStatusSchema = z.object({
  interface: z.string(),
  peer: z.string().nullable(),
  transport: z.enum(['unicast', 'multicast']),
  localAddress: z.string().nullable(),
  conntrackd: z.object({ running: z.boolean(), pid: z.number().nullable(), restarts: z.number(), lastExit: z.string().nullable() }),
  ready: z.boolean(),
  readyReason: z.string(),
  peerReachable: z.boolean(),
  lastHeardSecondsAgo: z.number().nullable(),
  states: z.object({ kernel: z.number().nullable(), internalCache: z.number().nullable(), externalCache: z.number().nullable() }),
  lastBulkSync: z.string().nullable(),
  lastCommit: z.object({ at: z.string(), ms: z.number(), states: z.number().nullable(), ok: z.boolean() }).nullable(),
  messages: z.object({ sent: z.number(), received: z.number(), lost: z.number(), malformed: z.number(), sendErrors: z.number(), receiveErrors: z.number() }).nullable(),
  stall: z.string().nullable(),
  errors: z.array(z.object({ at: z.string(), message: z.string() })),
});

export type StateSyncStatusWire = z.infer<typeof stateSyncStatusSchema>;

const n = (v: number | null) => (v === null ? '?' : String(v));

/** The state sync block of `carpctl status`. */
export function formatStateSync(s: StateSyncStatusWire): string {
  const peer = `${s.transport === 'unicast' ? `peer ${s.peer}` : 'multicast'} on ${s.interface}${s.localAddress ? ` from ${s.localAddress}` : ''}`;
  const heard = s.peerReachable ? `reachable (heard ${n(s.lastHeardSecondsAgo)} s ago)` : `NOT reachable${s.lastHeardSecondsAgo === null ? ' (never heard)' : ` (last heard ${s.lastHeardSecondsAgo} s ago)`}`;
  const cd = s.conntrackd.running ? `running (pid ${s.conntrackd.pid})` : 'NOT running';
  const lines = [
    `state sync: ${peer}; peer ${heard}`,
    `  conntrackd ${cd}, ${s.conntrackd.restarts} restart(s)${s.conntrackd.lastExit ? `, last exit: ${s.conntrackd.lastExit}` : ''}`,
    `  ready: ${s.ready ? 'yes' : 'NO'} (${s.readyReason})`,
    `  states: kernel ${n(s.states.kernel)}, own (internal cache) ${n(s.states.internalCache)}, peer's (external cache) ${n(s.states.externalCache)}`,
    `  last bulk sync: ${s.lastBulkSync ?? 'never'}; last commit: ${s.lastCommit ? `${s.lastCommit.at}, ${s.lastCommit.states ?? '?'} states in ${s.lastCommit.ms.toFixed(1)} ms${s.lastCommit.ok ? '' : ' (FAILED)'}` : 'never'}`,
    s.messages
      ? `  messages: sent ${s.messages.sent}, received ${s.messages.received}, lost ${s.messages.lost}, malformed ${s.messages.malformed}, send errors ${s.messages.sendErrors}, receive errors ${s.messages.receiveErrors}`
      : '  messages: unknown (conntrackd not answering)',
  ];
  if (s.stall) lines.push(`  STALL: ${s.stall}`);
  for (const e of s.errors.slice(-3)) lines.push(`  error ${e.at}: ${e.message}`);
  return lines.join('\n');
}
