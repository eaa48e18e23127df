// `lab up`: two blank "firewalls" (own netns, own /etc, /opt, /root and /home through a mount namespace, OpenSSH's
// sshd, root plus a sudo and a non-sudo login), a client on the LAN, a server on the WAN, and a management link from
// the host's namespace to the nodes' sshd.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fingerprintOf, keyBlobOfLine } from '../ssh/fingerprint.js';
import { tearDown } from './down.js';
import { LabError } from './errors.js';
import { CLIENT_ADDRESS, CLIENT_GATEWAY, LAB_LOGINS, labDir, NODE_NAMES, segmentAddresses, SERVER_ADDRESS, SERVER_GATEWAY, SSHD, type LabNode, type LabState } from './layout.js';
import { labHealth, readState, writeState } from './state.js';
import { runOk } from './run.js';
import { formatAddress, parseCidr, pickManagementSubnet } from './subnet.js';

export interface UpResult {
  state: LabState;
  alreadyUp: boolean;
}

export function checkCanRun(sshd = SSHD): void {
  if (process.getuid?.() !== 0) throw new LabError('not-root', 'the lab creates network and mount namespaces: run it as root (e.g. sudo npx carpdeck lab up)', 'lab');
  if (!existsSync(sshd)) throw new LabError('tool-missing', `${sshd} is missing: install OpenSSH's server (apt-get install openssh-server, or bash build/setup-debian.sh --packages-only)`, sshd);
  for (const tool of ['/usr/bin/ssh-keygen', '/usr/bin/nsenter', '/usr/bin/unshare']) {
    if (!existsSync(tool)) throw new LabError('tool-missing', `${tool} is missing (apt-get install openssh-client util-linux)`, tool);
  }
}

export async function labUp(name: string): Promise<UpResult> {
  checkCanRun();
  const existing = readState(name);
  if (existing) {
    const health = await labHealth(existing);
    if (health.problems.length === 0) return { state: existing, alreadyUp: true };
    throw new LabError('already-up', `lab "${name}" is partly up (${health.problems.join('; ')}): run "carpdeck lab down${name === 'cdlab' ? '' : ` --name ${name}`}" first`, existing.dir);
  }
  const subnet = pickManagementSubnet(await hostNetworks());
  if (!subnet) throw new LabError('no-subnet', 'every candidate management range (100.64.200-255.0/24, 172.31.200-255.0/24) is in use on this host', 'ip route');
  const dir = labDir(name);
  try {
    return { state: await build(name, dir, subnet), alreadyUp: false };
  } catch (e) {
    await tearDown(name).catch(() => undefined);
    throw e;
  }
}

async function hostNetworks(): Promise<string[]> {
  const routes = JSON.parse((await runOk(['ip', '-json', '-4', 'route', 'show', 'table', 'all'])).stdout) as { dst: string }[];
  const addrs = JSON.parse((await runOk(['ip', '-json', '-4', 'addr'])).stdout) as { addr_info?: { local: string; prefixlen: number }[] }[];
  return [...routes.map((r) => r.dst), ...addrs.flatMap((l) => (l.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`))];
}

async function build(name: string, dir: string, subnet: string): Promise<LabState> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const base = parseCidr(subnet)!.base;
  const hostAddress = formatAddress(base + 1);
  const bridge = `${name}-mgmt`;
  const sw = `${name}-sw`;
  const keyFile = join(dir, 'id_ed25519');
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `carpdeck-lab-${name}`, '-f', keyFile]);
  const password = randomBytes(12).toString('base64url');
  const passwordFile = join(dir, 'root-password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });

  const state: LabState = {
    name,
    dir,
    createdAt: new Date().toISOString(),
    management: { subnet, hostAddress, bridge },
    switchNamespace: sw,
    nodes: [],
    client: { namespace: `${name}-client`, address: CLIENT_ADDRESS.split('/')[0], gateway: CLIENT_GATEWAY },
    server: { namespace: `${name}-server`, address: SERVER_ADDRESS.split('/')[0], gateway: SERVER_GATEWAY },
  };
  writeState(state);

  await addNamespace(sw);
  for (const seg of ['lan', 'wan', 'sync']) {
    await runOk(['ip', '-n', sw, 'link', 'add', seg, 'type', 'bridge']);
    await runOk(['ip', '-n', sw, 'link', 'set', seg, 'up']);
  }
  await runOk(['ip', 'link', 'add', bridge, 'type', 'bridge']);
  await runOk(['ip', 'addr', 'add', `${hostAddress}/24`, 'dev', bridge]);
  await runOk(['ip', 'link', 'set', bridge, 'up']);

  const pubLine = readFileSync(`${keyFile}.pub`, 'utf8');
  for (const [i, nodeName] of NODE_NAMES.entries()) {
    const node = await buildNode(state, nodeName, i, { keyFile, passwordFile, password, pubLine });
    state.nodes.push(node);
    writeState(state);
  }
  await endpoint(state, state.client.namespace, 'lan', CLIENT_ADDRESS, CLIENT_GATEWAY, 'client');
  await endpoint(state, state.server.namespace, 'wan', SERVER_ADDRESS, SERVER_GATEWAY, 'server');
  writeState(state);
  for (const node of state.nodes) await waitForPort(node.address, 22, 5000, node.name);
  return state;
}

async function addNamespace(ns: string): Promise<void> {
  await runOk(['ip', 'netns', 'add', ns]);
  await runOk(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
}

/** A veth from the switch namespace's bridge `seg` to `ifname` in `ns`. */
async function plug(state: LabState, ns: string, seg: string, ifname: string, tag: string, addr: string): Promise<void> {
  const sw = state.switchNamespace;
  const swSide = `${tag}-${seg}`;
  await runOk(['ip', '-n', sw, 'link', 'add', swSide, 'type', 'veth', 'peer', 'name', ifname, 'netns', ns]);
  await runOk(['ip', '-n', sw, 'link', 'set', swSide, 'master', seg, 'up']);
  await runOk(['ip', '-n', ns, 'addr', 'add', addr, 'dev', ifname]);
  await runOk(['ip', '-n', ns, 'link', 'set', ifname, 'up']);
}

async function endpoint(state: LabState, ns: string, seg: string, addr: string, gateway: string, tag: string): Promise<void> {
  await addNamespace(ns);
  await plug(state, ns, seg, seg, tag, addr);
  await runOk(['ip', '-n', ns, 'route', 'add', 'default', 'via', gateway]);
}

interface Credentials {
  keyFile: string;
  passwordFile: string;
  password: string;
  pubLine: string;
}

async function buildNode(state: LabState, nodeName: string, index: number, cred: Credentials): Promise<LabNode> {
  const ns = `${state.name}-${nodeName}`;
  const root = join(state.dir, 'nodes', nodeName);
  const address = formatAddress(parseCidr(state.management.subnet)!.base + 11 + index);
  const addresses = segmentAddresses(index);
  await addNamespace(ns);
  for (const seg of ['lan', 'wan', 'sync'] as const) await plug(state, ns, seg, seg, nodeName, addresses[seg]);
  const hostSide = `${state.name}-m-${nodeName}`;
  await runOk(['ip', 'link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'mgmt', 'netns', ns]);
  await runOk(['ip', 'link', 'set', hostSide, 'master', state.management.bridge, 'up']);
  await runOk(['ip', '-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'mgmt']);
  await runOk(['ip', '-n', ns, 'link', 'set', 'mgmt', 'up']);
  await runOk(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);

  const hostKey = await prepareTree(root, nodeName, address, cred);
  const holderPid = await startHolder(root);
  const inNode = ['nsenter', `--net=/run/netns/${ns}`, `--mount=/proc/${holderPid}/ns/mnt`, `--uts=/proc/${holderPid}/ns/uts`, '--'];
  await runOk([...inNode, 'hostname', nodeName]);
  for (const [what, where] of [['etc', '/etc'], ['opt', '/opt'], ['root', '/root'], ['home', '/home']] as const) await runOk([...inNode, 'mount', '--bind', join(root, what), where]);
  for (const where of ['/run', '/tmp', '/var/lib', '/var/log']) await runOk([...inNode, 'mount', '-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs', where]);
  await runOk([...inNode, 'chmod', '1777', '/tmp']);
  // sysfs mounted from inside the node's netns shows the node's interfaces (carpd reads /sys/class/net).
  await runOk([...inNode, 'mount', '-t', 'sysfs', 'sysfs', '/sys']);
  await runOk([...inNode, 'mkdir', '-m', '0755', '/run/sshd']);
  const log = openSync(join(root, 'sshd.log'), 'a');
  const sshd = spawn(inNode[0], [...inNode.slice(1), SSHD, '-D', '-e', '-f', '/etc/ssh/sshd_config'], { detached: true, stdio: ['ignore', log, log] });
  sshd.unref();
  if (!sshd.pid) throw new LabError('command-failed', `cannot start sshd for ${nodeName}`, SSHD);
  return {
    name: nodeName,
    namespace: ns,
    address,
    user: 'root',
    keyFile: cred.keyFile,
    passwordFile: cred.passwordFile,
    logins: { ...LAB_LOGINS },
    hostKeyFingerprint: hostKey,
    interfaces: { lan: 'lan', wan: 'wan', sync: 'sync' },
    addresses,
    root,
    holderPid,
    sshdPid: sshd.pid,
  };
}

/** The node's own /etc (a copy of the host's with fresh host keys, its own sshd_config, root password and logins),
 * /opt, /root and /home. Returns the host key's fingerprint. */
async function prepareTree(root: string, nodeName: string, address: string, cred: Credentials): Promise<string> {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  cpSync('/etc', join(root, 'etc'), { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(root, 'opt'), { mode: 0o755 });
  mkdirSync(join(root, 'root', '.ssh'), { recursive: true, mode: 0o700 });
  chmodSync(join(root, 'root'), 0o700);
  writeFileSync(join(root, 'root', '.ssh', 'authorized_keys'), cred.pubLine, { mode: 0o600 });
  const sshDir = join(root, 'etc', 'ssh');
  for (const f of readdirSync(sshDir)) if (f.startsWith('ssh_host_')) rmSync(join(sshDir, f));
  rmSync(join(sshDir, 'sshd_config.d'), { recursive: true, force: true });
  const hostKey = join(sshDir, 'ssh_host_ed25519_key');
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'carpdeck-lab-host', '-f', hostKey]);
  writeFileSync(join(sshDir, 'sshd_config'), sshdConfig(address), { mode: 0o644 });
  const hash = (await runOk(['openssl', 'passwd', '-6', '-stdin'], `${cred.password}\n`)).stdout.trim();
  const shadow = join(root, 'etc', 'shadow');
  const lines = readFileSync(shadow, 'utf8').split('\n').map((l) => (l.startsWith('root:') ? ['root', hash, ...l.split(':').slice(2)].join(':') : l));
  writeFileSync(shadow, lines.join('\n'), { mode: 0o640 });
  addLogins(root, hash, cred.pubLine);
  // sudo looks its host name up; without this every sudo command also prints "unable to resolve host"
  appendLine(join(root, 'etc', 'hosts'), `127.0.1.1\t${nodeName}`);
  const parsed = keyBlobOfLine(readFileSync(`${hostKey}.pub`, 'utf8'));
  if (!parsed) throw new LabError('command-failed', `ssh-keygen wrote an unreadable ${hostKey}.pub`, hostKey);
  return fingerprintOf(parsed.blob);
}

/** The sudo and the plain login: passwd, group and shadow entries (root's password hash), a home with the lab key,
 * and a sudoers.d file giving only the sudo login password-less sudo. */
function addLogins(root: string, hash: string, pubLine: string): void {
  const etc = join(root, 'etc');
  const passwd = readFileSync(join(etc, 'passwd'), 'utf8');
  const groups = readFileSync(join(etc, 'group'), 'utf8');
  const taken = new Set([...passwd.split('\n'), ...groups.split('\n')].map((l) => Number(l.split(':')[2])));
  let id = 2000;
  mkdirSync(join(root, 'home'), { mode: 0o755 });
  for (const user of [LAB_LOGINS.sudo, LAB_LOGINS.plain]) {
    while (taken.has(id)) id++;
    taken.add(id);
    appendLine(join(etc, 'passwd'), `${user}:x:${id}:${id}:CarpDeck lab login:/home/${user}:/bin/sh`);
    appendLine(join(etc, 'group'), `${user}:x:${id}:`);
    appendLine(join(etc, 'shadow'), `${user}:${hash}:20000:0:99999:7:::`);
    const ssh = join(root, 'home', user, '.ssh');
    mkdirSync(ssh, { recursive: true, mode: 0o700 });
    writeFileSync(join(ssh, 'authorized_keys'), pubLine, { mode: 0o600 });
    for (const p of [join(root, 'home', user), ssh, join(ssh, 'authorized_keys')]) chownSync(p, id, id);
    chmodSync(join(root, 'home', user), 0o750);
  }
  mkdirSync(join(etc, 'sudoers.d'), { recursive: true, mode: 0o755 });
  writeFileSync(join(etc, 'sudoers.d', 'carpdeck-lab'), `${LAB_LOGINS.sudo} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
}

function appendLine(file: string, line: string): void {
  const text = readFileSync(file, 'utf8');
  appendFileSync(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`);
}

function sshdConfig(address: string): string {
  return [
    `ListenAddress ${address}`,
    'Port 22',
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    'PermitRootLogin yes',
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'PidFile /run/sshd.pid',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PrintMotd no',
    'PrintLastLog no',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

/** A process that only holds a private mount (and UTS) namespace for the node; its mounts never reach the host. */
async function startHolder(root: string): Promise<number> {
  const holder = spawn('unshare', ['--mount', '--uts', '--propagation', 'private', '--', 'sleep', 'infinity'], { detached: true, stdio: 'ignore', cwd: root });
  holder.unref();
  const pid = holder.pid;
  if (!pid) throw new LabError('command-failed', 'cannot start unshare for the node\'s mount namespace', 'unshare');
  const own = readlinkSync('/proc/self/ns/mnt');
  for (let i = 0; i < 100; i++) {
    try {
      if (readlinkSync(`/proc/${pid}/ns/mnt`) !== own && readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep')) return pid;
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new LabError('command-failed', 'unshare --mount did not come up (is this kernel allowing mount namespaces?)', 'unshare');
}

export function waitForPort(host: string, port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect({ host, port });
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new LabError('command-failed', `sshd of ${what} does not listen on ${host}:${port} (see its sshd.log)`, what));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}
