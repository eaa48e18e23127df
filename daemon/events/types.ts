import type { CarpState } from '../core/types.js';

/** One line of the event log: a vhid state transition or a change of the node's demotion. */
export type CarpdEvent =
  | { seq: number; time: string; node: string; kind: 'state'; vhid: number; interface: string; old: CarpState; new: CarpState; cause: string }
  | { seq: number; time: string; node: string; kind: 'demotion'; vhid: null; old: number; new: number; cause: string }
  /** Something the conntrackd state sync reported (`event` is its kind: ready, commit, peer-lost, ...). */
  | { seq: number; time: string; node: string; kind: 'state-sync'; vhid: null; event: string; cause: string }
  /** Something config sync reported (`event`: pushed, push-failed, applied, refused, drift, in-sync, recovered). */
  | { seq: number; time: string; node: string; kind: 'config-sync'; vhid: null; event: string; cause: string };

export type NewEvent = CarpdEvent extends infer E ? (E extends CarpdEvent ? Omit<E, 'seq' | 'time' | 'node'> : never) : never;
