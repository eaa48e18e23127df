// keepalived (Debian package) as a VRRP peer in a lab node, with its own config and pid files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, LabNode } from './lab.js';
import type { LabProcess } from './proc.js';

export interface KeepalivedOptions {
  ifname: string;
  vrid: number;
  priority: number;
  /** VIPs with prefix length. */
  vips: string[];
  version?: 2 | 3;
  state?: 'MASTER' | 'BACKUP';
  advertInt?: number;
  /** VRRPv2 simple-text password (max 8 bytes). */
  password?: string;
}

export function startKeepalived(lab: Lab, node: LabNode, o: KeepalivedOptions): LabProcess {
  const base = join(node.dir, `keepalived-${o.vrid}`);
  const conf = [
    'global_defs {',
    `  router_id lab_${node.name}`,
    `  vrrp_version ${o.version ?? 2}`,
    '  enable_script_security',
    '}',
    `vrrp_instance lab_${o.vrid} {`,
    `  state ${o.state ?? 'BACKUP'}`,
    `  interface ${o.ifname}`,
    `  virtual_router_id ${o.vrid}`,
    `  priority ${o.priority}`,
    `  advert_int ${o.advertInt ?? 1}`,
    ...(o.password ? ['  authentication {', '    auth_type PASS', `    auth_pass ${o.password}`, '  }'] : []),
    '  virtual_ipaddress {',
    ...o.vips.map((v) => `    ${v}`),
    '  }',
    '}',
    '',
  ].join('\n');
  writeFileSync(`${base}.conf`, conf);
  return lab.spawn(
    node,
    ['keepalived', '-n', '-l', '-D', '-P', '-f', `${base}.conf`, '-p', `${base}.pid`, '-r', `${base}-vrrp.pid`],
    { logFile: `${base}.log` },
  );
}
