// ucarp (Debian package) as a lab peer: one process per vhid, VIP added/removed by generated up/down scripts.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, LabNode } from './lab.js';
import type { LabProcess } from './proc.js';

export interface UcarpOptions {
  ifname: string;
  srcip: string;
  vhid: number;
  password: string;
  /** The VIP with prefix length, e.g. 10.0.1.1/24 (ucarp itself only knows the address). */
  vip: string;
  advbase?: number;
  advskew?: number;
  preempt?: boolean;
}

export interface Ucarp {
  readonly proc: LabProcess;
  /** The VIP without prefix length. */
  readonly vip: string;
}

/** Starts ucarp in `node`. The scripts add/remove the VIP with `ip addr`, and ucarp runs the down-script on exit (-z). */
export function startUcarp(lab: Lab, node: LabNode, o: UcarpOptions): Ucarp {
  const [vip, plen] = o.vip.split('/');
  const up = join(node.dir, `ucarp-${o.vhid}-up.sh`);
  const down = join(node.dir, `ucarp-${o.vhid}-down.sh`);
  // ucarp calls: script <interface> <vip>
  writeFileSync(up, `#!/bin/sh\nexec ip addr replace "$2/${Number(plen)}" dev "$1"\n`);
  writeFileSync(down, `#!/bin/sh\nip addr del "$2/${Number(plen)}" dev "$1" 2>/dev/null\nexit 0\n`);
  chmodSync(up, 0o755);
  chmodSync(down, 0o755);
  const argv = [
    'ucarp', '-i', o.ifname, '-s', o.srcip, '-v', String(o.vhid), '-p', o.password, '-a', vip,
    '-b', String(o.advbase ?? 1), '-k', String(o.advskew ?? 0), '-u', up, '-d', down, '-z',
    ...(o.preempt === false ? [] : ['-P']),
  ];
  return { proc: lab.spawn(node, argv, { logFile: join(node.dir, `ucarp-${o.vhid}.log`) }), vip };
}
