// Seeded faults for the preflight lab test, each applied from the host and undone after its case: a package
// hidden inside one node's mount namespace, multicast dropped on the lab's switch bridge, a foreign VRRP speaker
// (keepalived) on the LAN, the sync interfaces readdressed into the LAN subnet, and one node's clock 5 s ahead.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabNode, LabState } from '../../../electron/core/lab/layout.js';
import { runOk } from '../../../electron/core/lab/run.js';

export interface Fault {
  undo(): Promise<void>;
}

const inMounts = (node: LabNode, argv: string[]) => ['nsenter', `--mount=/proc/${node.holderPid}/ns/mnt`, '--', ...argv];

/** Bind-mounts an empty, non-executable file over `path` in the node's own mount namespace only. */
export async function hideFile(node: LabNode, path: string): Promise<Fault> {
  await runOk(inMounts(node, ['sh', '-c', ': > /run/preflight-hidden && chmod 0644 /run/preflight-hidden && mount --bind /run/preflight-hidden "$1"', 'hide', path]));
  return { undo: async () => void (await runOk(inMounts(node, ['umount', path]))) };
}

/** A bridge-family nftables rule in the lab's switch namespace dropping everything sent to 224.0.0.18. */
export async function dropMulticast(state: LabState): Promise<Fault> {
  const table = 'preflight_fault';
  const rules = `table bridge ${table} {\n  chain forward_drop {\n    type filter hook forward priority 0;\n    ip daddr 224.0.0.18 drop\n  }\n}\n`;
  await runOk(['ip', 'netns', 'exec', state.switchNamespace, 'nft', '-f', '-'], rules);
  return { undo: async () => void (await runOk(['ip', 'netns', 'exec', state.switchNamespace, 'nft', 'delete', 'table', 'bridge', table])) };
}

/** A masquerade with no output interface in the node's own ruleset: it would translate CARP and sync traffic too. */
export async function natEverywhere(node: LabNode): Promise<Fault> {
  const table = 'preflight_nat';
  await runOk(['ip', 'netns', 'exec', node.namespace, 'nft', '-f', '-'], `table ip ${table} {\n  chain post {\n    type nat hook postrouting priority srcnat;\n    masquerade\n  }\n}\n`);
  return { undo: async () => void (await runOk(['ip', 'netns', 'exec', node.namespace, 'nft', 'delete', 'table', 'ip', table])) };
}

/** keepalived in the lab's client namespace: a foreign VRRPv2 master with `vrid` on the LAN. */
export async function foreignVrrp(state: LabState, dir: string, vrid: number): Promise<Fault> {
  const conf = join(dir, 'keepalived.conf');
  writeFileSync(
    conf,
    ['global_defs {', '  router_id preflight_foreign', '  vrrp_version 2', '  enable_script_security', '}', 'vrrp_instance foreign {', '  state MASTER', '  interface lan', `  virtual_router_id ${vrid}`, '  priority 150', '  advert_int 1', '  virtual_ipaddress {', '    10.0.1.42/24', '  }', '}', ''].join('\n'),
  );
  const child: ChildProcess = spawn('ip', ['netns', 'exec', state.client.namespace, 'keepalived', '-n', '-l', '-D', '-P', '-f', conf, '-p', join(dir, 'keepalived.pid'), '-r', join(dir, 'vrrp.pid')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise((r) => setTimeout(r, 1500));
  return {
    undo: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Moves both nodes' sync interfaces from 10.0.2.x/24 into the LAN subnet (10.0.1.1x/24). */
export async function syncOnLan(state: LabState): Promise<Fault> {
  const moves = state.nodes.map((n, i) => ({ ns: n.namespace, from: n.addresses.sync, to: `10.0.1.${12 + i}/24` }));
  for (const m of moves) {
    await runOk(['ip', '-n', m.ns, 'addr', 'del', m.from, 'dev', 'sync']);
    await runOk(['ip', '-n', m.ns, 'addr', 'add', m.to, 'dev', 'sync']);
  }
  return {
    undo: async () => {
      for (const m of moves) {
        await runOk(['ip', '-n', m.ns, 'addr', 'del', m.to, 'dev', 'sync']);
        await runOk(['ip', '-n', m.ns, 'addr', 'add', m.from, 'dev', 'sync']);
      }
    },
  };
}

export const ADMIN = 'cdadmin';

/** A non-root login on the node (home in the node's own /opt), with password-less sudo when `sudo` is set. */
export async function nonRootLogin(node: LabNode, publicKey: string, sudo: boolean): Promise<Fault> {
  const etc = (f: string) => join(node.root, 'etc', f);
  const saved = ['passwd', 'group', 'shadow'].map((f) => [f, readFileSync(etc(f), 'utf8')] as const);
  const home = join(node.root, 'opt', ADMIN);
  const add = (f: string, line: string) => writeFileSync(etc(f), `${readFileSync(etc(f), 'utf8').replace(/\n?$/, '\n')}${line}\n`);
  add('passwd', `${ADMIN}:x:1990:1990:CarpDeck test admin:/opt/${ADMIN}:/bin/sh`);
  add('group', `${ADMIN}:x:1990:`);
  add('shadow', `${ADMIN}:*:19000:0:99999:7:::`);
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, '.ssh', 'authorized_keys'), publicKey, { mode: 0o600 });
  for (const p of [home, join(home, '.ssh'), join(home, '.ssh', 'authorized_keys')]) chownSync(p, 1990, 1990);
  chmodSync(home, 0o700);
  const sudoers = etc(`sudoers.d/${ADMIN}`);
  if (sudo) writeFileSync(sudoers, `${ADMIN} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  return {
    undo: async () => {
      for (const [f, text] of saved) writeFileSync(etc(f), text);
      rmSync(home, { recursive: true, force: true });
      rmSync(sudoers, { force: true });
    },
  };
}

export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

/**
 * The kernel's realtime clock cannot be namespaced, so the node's clock is moved where its programs read it:
 * sshd hands every new session LD_PRELOAD=libfaketime with FAKETIME=+5s (OpenSSH's SetEnv, sshd reloaded with
 * SIGHUP), so everything the preflight runs there sees a clock 5 s ahead, as on a node without NTP.
 */
export async function clockAhead(node: LabNode, seconds: number): Promise<Fault> {
  const file = join(node.root, 'etc', 'ssh', 'sshd_config');
  const before = readFileSync(file, 'utf8');
  writeFileSync(file, `${before}SetEnv LD_PRELOAD=${LIBFAKETIME} FAKETIME=+${seconds}s\n`);
  process.kill(node.sshdPid, 'SIGHUP');
  await new Promise((r) => setTimeout(r, 300));
  return {
    undo: async () => {
      writeFileSync(file, before);
      process.kill(node.sshdPid, 'SIGHUP');
      await new Promise((r) => setTimeout(r, 300));
    },
  };
}

/** What the preflight must leave alone on a node: addresses, ruleset, conntrack sysctl, and files written since `sinceEpoch`. */
export async function nodeSnapshot(node: LabNode, sinceEpoch: number): Promise<string> {
  const inNet = (argv: string[]) => ['ip', 'netns', 'exec', node.namespace, ...argv];
  const addr = (await runOk(['ip', '-n', node.namespace, '-br', 'addr'])).stdout;
  const ruleset = (await runOk(inNet(['nft', 'list', 'ruleset']))).stdout;
  const acct = (await runOk(inNet(['sysctl', '-n', 'net.netfilter.nf_conntrack_acct']))).stdout;
  const files = (await runOk(inMounts(node, ['find', '/etc', '/opt', '/root', '/var/lib', '/var/log', '/tmp', '-xdev', '-newermt', `@${sinceEpoch}`]))).stdout;
  return [addr, ruleset, acct, files].join('\n--\n');
}
