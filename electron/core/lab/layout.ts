// What a lab is made of: names, addresses and where its files live. `up` builds it, `status` and `down` read it back
// from the state file.
import { join } from 'node:path';

export const LAB_ROOT = '/var/lib/carpdeck-lab';
export const DEFAULT_LAB_NAME = 'cdlab';
export const SSHD = '/usr/sbin/sshd';

/** Logins besides root on every node (same key and password as root): one with password-less sudo, one without. */
export const LAB_LOGINS = { sudo: 'carptech', plain: 'carpguest' } as const;

export interface LabNode {
  name: string;
  namespace: string;
  /** The node's SSH address on the management link. */
  address: string;
  user: 'root';
  keyFile: string;
  /** Root's password on the node (a file only root can read), for password logins. */
  passwordFile: string;
  /** Non-root logins (same key and password): `sudo` has password-less sudo, `plain` has no sudo at all. */
  logins: { sudo: string; plain: string };
  hostKeyFingerprint: string;
  interfaces: { lan: string; wan: string; sync: string };
  addresses: { lan: string; wan: string; sync: string };
  /** The node's own /etc, /opt, /root and /home on the host (bound over the real ones in its mount namespace). */
  root: string;
  holderPid: number;
  sshdPid: number;
}

export interface LabEndpoint {
  namespace: string;
  address: string;
  gateway: string;
}

export interface LabState {
  name: string;
  dir: string;
  createdAt: string;
  management: { subnet: string; hostAddress: string; bridge: string };
  switchNamespace: string;
  nodes: LabNode[];
  client: LabEndpoint;
  server: LabEndpoint;
}

export const labDir = (name: string): string => join(LAB_ROOT, name);
export const stateFile = (name: string): string => join(labDir(name), 'state.json');

/** Lab names become prefixes of namespace and interface names (15 characters at most), hence short. */
export function checkLabName(name: string): string | undefined {
  return /^[a-z][a-z0-9]{0,7}$/.test(name) ? undefined : `lab name "${name}" must be 1-8 lowercase letters or digits, starting with a letter`;
}

export const NODE_NAMES = ['fw1', 'fw2'] as const;

/** Segment addresses inside the lab (namespaces only, never on the host): LAN, WAN and a dedicated sync link. */
export function segmentAddresses(index: number): { lan: string; wan: string; sync: string } {
  return { lan: `10.0.1.${2 + index}/24`, wan: `198.51.100.${2 + index}/24`, sync: `10.0.2.${2 + index}/24` };
}

export const CLIENT_ADDRESS = '10.0.1.100/24';
export const CLIENT_GATEWAY = '10.0.1.1';
export const SERVER_ADDRESS = '198.51.100.100/24';
export const SERVER_GATEWAY = '198.51.100.1';
