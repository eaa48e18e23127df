// Hand-made protocol-112 packets from a lab node (carp_inject.py): CARP adverts with any TTL, or garbage.
import { join } from 'node:path';
import type { Lab, LabNode } from './lab.js';
import { repoRoot } from './repo.js';

export interface InjectOptions {
  ifname: string;
  family?: 4 | 6;
  /** IPv4 TTL / IPv6 hop limit (CARP requires 255). */
  ttl?: number;
  count?: number;
  intervalS?: number;
  vhid?: number;
  advbase?: number;
  advskew?: number;
  demote?: number;
  password?: string;
  vips?: string[];
  /** Random payloads of random length (0-79 bytes) instead of adverts. */
  garbage?: boolean;
}

const script = join(repoRoot, 'test', 'lab', 'harness', 'carp_inject.py');

export async function injectCarp(lab: Lab, node: LabNode, o: InjectOptions): Promise<void> {
  const argv = ['python3', script, '--ifname', o.ifname, '--family', String(o.family ?? 4)];
  const num = (flag: string, v: number | undefined) => (v === undefined ? [] : [flag, String(v)]);
  argv.push(...num('--ttl', o.ttl), ...num('--count', o.count), ...num('--interval', o.intervalS), ...num('--vhid', o.vhid));
  argv.push(...num('--advbase', o.advbase), ...num('--advskew', o.advskew), ...num('--demote', o.demote));
  if (o.password !== undefined) argv.push('--password', o.password);
  for (const v of o.vips ?? []) argv.push('--vip', v.split('/')[0]);
  if (o.garbage) argv.push('--garbage');
  await lab.execOk(node, argv);
}
