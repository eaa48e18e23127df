// A network-namespace lab: bridges live in a private "switch" namespace, every node is its own namespace joined to
// the bridges by veth pairs. Nothing is created in the host's root namespace, and names carry the owning pid so
// parallel runs (and teammates' labs) never collide; namespaces left by a dead process are swept on the next start.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { run, runOk, startProcess, type ExecOptions, type ExecResult, type LabProcess } from './proc.js';

export interface LabNode {
  readonly name: string;
  readonly netns: string;
  /** A scratch directory for this node's files (configs, scripts, logs). */
  readonly dir: string;
  /** Pid of the holder process of the private mount namespace, when the node has one. */
  readonly mountHolderPid?: number;
}

export interface LabBridge {
  readonly name: string;
}

export interface NodeOptions {
  /** Give the node a private mount namespace with a fresh tmpfs on each of `privateDirs`. */
  mountNs?: boolean;
  /** Directories made private (tmpfs) in the node's mount namespace; default /run and /var/lib/carpd. */
  privateDirs?: string[];
}

export interface LinkOptions {
  ifname: string;
  /** Addresses with prefix length, IPv4 or IPv6 (IPv6 ones are usable at once: no DAD). */
  addrs?: string[];
  mac?: string;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  logFile?: string;
}

export interface Capture {
  readonly file: string;
  /** Stops tcpdump and resolves once it has flushed and exited. */
  stop(): Promise<void>;
}

export interface Lab {
  readonly id: string;
  /** The lab's scratch directory (logs, captures, per-node directories). */
  readonly dir: string;
  readonly switchNs: string;
  bridge(name: string): Promise<LabBridge>;
  node(name: string, opts?: NodeOptions): Promise<LabNode>;
  link(node: LabNode, bridge: LabBridge, opts: LinkOptions): Promise<void>;
  exec(node: LabNode, argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Like exec, but throws with stderr when the command fails. */
  execOk(node: LabNode, argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  spawn(node: LabNode, argv: readonly string[], opts?: SpawnOptions): LabProcess;
  /** Pulls the cable: sets the bridge-side end of the node's veth down (the node sees NO-CARRIER). */
  linkDown(node: LabNode, ifname: string): Promise<void>;
  linkUp(node: LabNode, ifname: string): Promise<void>;
  capture(node: LabNode, ifname: string, file: string, filter?: string): Promise<Capture>;
  /** The node's addresses on `ifname` (without prefix length), as `ip -j addr` reports them. */
  addresses(node: LabNode, ifname: string): Promise<string[]>;
  cleanup(): Promise<void>;
}

const IFNAMSIZ = 15;
const MARK = 'lab';
const live = new Set<LabState>();
let labCounter = 0;
let handlersInstalled = false;

interface LabState {
  namespaces: string[];
  processes: Set<LabProcess>;
  holders: Set<LabProcess>;
  dir: string;
  keep: boolean;
}

function checkIfname(kind: string, name: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.length > IFNAMSIZ) {
    throw new Error(`lab: ${kind} name "${name}" must be 1-${IFNAMSIZ} characters of letters, digits, "_", "." or "-"`);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killNamespaceSync(ns: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
  for (const p of pids.split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(p), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  spawnSync('ip', ['netns', 'del', ns]);
}

function cleanupSync(state: LabState): void {
  for (const p of [...state.processes, ...state.holders]) p.kill('SIGKILL');
  for (const ns of state.namespaces) killNamespaceSync(ns);
  if (!state.keep) rmSync(state.dir, { recursive: true, force: true });
  live.delete(state);
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const s of [...live]) cleanupSync(s);
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const s of [...live]) cleanupSync(s);
      process.kill(process.pid, sig);
    });
  }
}

/** Deletes lab namespaces whose owning process is gone (a crashed earlier run). */
function sweepStale(): void {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of list.split('\n')) {
    const ns = line.split(' ')[0];
    const m = new RegExp(`^${MARK}-(\\d+)-\\d+-`).exec(ns);
    if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) killNamespaceSync(ns);
  }
}

/**
 * Creates an empty lab. `prefix` (letters/digits) names the run in namespace names and the scratch directory.
 * Set CARPLAB_KEEP=1 to keep the scratch directory (logs, captures) after cleanup.
 */
export async function createLab(prefix: string): Promise<Lab> {
  if (!/^[a-z0-9]{1,12}$/i.test(prefix)) throw new Error(`lab: prefix "${prefix}" must be 1-12 letters or digits`);
  installExitHandlers();
  sweepStale();
  const id = `${MARK}-${process.pid}-${++labCounter}-${prefix}`;
  const dir = mkdtempSync(join(tmpdir(), `carplab-${prefix}-`));
  const state: LabState = {
    namespaces: [],
    processes: new Set(),
    holders: new Set(),
    dir,
    keep: process.env.CARPLAB_KEEP === '1',
  };
  live.add(state);

  const addNs = async (suffix: string): Promise<string> => {
    const ns = `${id}-${suffix}`;
    state.namespaces.push(ns);
    await runOk(['ip', 'netns', 'add', ns]);
    await runOk(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    return ns;
  };

  const switchNs = await addNs('sw');
  await runOk(['ip', 'netns', 'exec', switchNs, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);

  const bridges = new Set<string>();
  const nodes = new Map<string, LabNode>();
  const peers = new Map<string, string>();
  let peerCounter = 0;
  let spawnCounter = 0;

  const prefixFor = (node: LabNode): string[] =>
    node.mountHolderPid !== undefined
      ? ['nsenter', '-F', '-t', String(node.mountHolderPid), '-m', '-n', '--']
      : ['ip', 'netns', 'exec', node.netns];

  const peerOf = (node: LabNode, ifname: string): string => {
    const p = peers.get(`${node.name}/${ifname}`);
    if (!p) throw new Error(`lab: node ${node.name} has no link named ${ifname}`);
    return p;
  };

  const lab: Lab = {
    id,
    dir,
    switchNs,

    async bridge(name) {
      checkIfname('bridge', name);
      if (bridges.has(name)) throw new Error(`lab: bridge ${name} already exists`);
      bridges.add(name);
      await runOk(['ip', '-n', switchNs, 'link', 'add', name, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0', 'mcast_snooping', '0']);
      await runOk(['ip', '-n', switchNs, 'link', 'set', name, 'up']);
      return { name };
    },

    async node(name, opts = {}) {
      if (!/^[a-z0-9]{1,12}$/i.test(name)) throw new Error(`lab: node name "${name}" must be 1-12 letters or digits`);
      if (nodes.has(name)) throw new Error(`lab: node ${name} already exists`);
      const netns = await addNs(name);
      await runOk(['ip', 'netns', 'exec', netns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
      const nodeDir = join(dir, name);
      mkdirSync(nodeDir, { recursive: true });
      let mountHolderPid: number | undefined;
      if (opts.mountNs) {
        const dirs = opts.privateDirs ?? ['/run', '/var/lib/carpd'];
        const holder = startProcess(
          [
            'ip', 'netns', 'exec', netns, 'unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c',
            'for d in "$@"; do mkdir -p "$d" && mount -t tmpfs carplab "$d" || exit 1; done; echo ready; exec sleep infinity',
            'sh', ...dirs,
          ],
          join(nodeDir, 'mount-holder.log'),
        );
        state.holders.add(holder);
        await holder.waitForOutput(/ready/);
        mountHolderPid = holder.pid;
      }
      const node: LabNode = { name, netns, dir: nodeDir, mountHolderPid };
      nodes.set(name, node);
      return node;
    },

    async link(node, bridge, opts) {
      checkIfname('interface', opts.ifname);
      if (!bridges.has(bridge.name)) throw new Error(`lab: bridge ${bridge.name} does not exist`);
      const key = `${node.name}/${opts.ifname}`;
      if (peers.has(key)) throw new Error(`lab: node ${node.name} already has a link named ${opts.ifname}`);
      const readable = `${node.name}.${opts.ifname}`;
      const peer = readable.length <= IFNAMSIZ && ![...peers.values()].includes(readable) ? readable : `p${++peerCounter}`;
      peers.set(key, peer);
      await runOk(['ip', '-n', switchNs, 'link', 'add', peer, 'type', 'veth', 'peer', 'name', opts.ifname, 'netns', node.netns]);
      await runOk(['ip', '-n', switchNs, 'link', 'set', peer, 'master', bridge.name, 'up']);
      await runOk(['ip', 'netns', 'exec', node.netns, 'sysctl', '-q', '-w', `net.ipv6.conf.${opts.ifname}.accept_dad=0`]);
      if (opts.mac) await runOk(['ip', '-n', node.netns, 'link', 'set', opts.ifname, 'address', opts.mac]);
      for (const a of opts.addrs ?? []) {
        await runOk(['ip', '-n', node.netns, 'addr', 'add', a, 'dev', opts.ifname, ...(a.includes(':') ? ['nodad'] : [])]);
      }
      await runOk(['ip', '-n', node.netns, 'link', 'set', opts.ifname, 'up']);
    },

    exec(node, argv, opts) {
      return run([...prefixFor(node), ...argv], opts);
    },

    execOk(node, argv, opts) {
      return runOk([...prefixFor(node), ...argv], opts);
    },

    spawn(node, argv, opts = {}) {
      const logFile = opts.logFile ?? join(node.dir, `${basename(argv[0])}-${++spawnCounter}.log`);
      const p = startProcess([...prefixFor(node), ...argv], logFile, opts.env);
      state.processes.add(p);
      void p.exited.then(() => state.processes.delete(p));
      return p;
    },

    async linkDown(node, ifname) {
      await runOk(['ip', '-n', switchNs, 'link', 'set', peerOf(node, ifname), 'down']);
    },

    async linkUp(node, ifname) {
      await runOk(['ip', '-n', switchNs, 'link', 'set', peerOf(node, ifname), 'up']);
    },

    async capture(node, ifname, file, filter) {
      const p = lab.spawn(node, ['tcpdump', '--immediate-mode', '-U', '-n', '-Z', 'root', '-i', ifname, '-w', file, ...(filter ? [filter] : [])], {
        logFile: `${file}.log`,
      });
      await p.waitForOutput(/listening on/);
      return {
        file,
        async stop() {
          await p.stop('SIGINT');
        },
      };
    },

    async addresses(node, ifname) {
      const r = await runOk(['ip', '-j', '-n', node.netns, 'addr', 'show', 'dev', ifname]);
      const parsed = JSON.parse(r.stdout) as { addr_info?: { local: string }[] }[];
      return parsed.flatMap((l) => (l.addr_info ?? []).map((a) => a.local));
    },

    async cleanup() {
      const procs = [...state.processes];
      for (const p of procs) p.kill('SIGKILL');
      await Promise.all(procs.map((p) => p.exited));
      cleanupSync(state);
    },
  };
  return lab;
}

/** Why the lab cannot run here (not root, no `ip netns`, a tool missing), or null when it can. */
export function labUnavailableReason(tools: readonly string[] = []): string | null {
  if (process.getuid?.() !== 0) return 'the lab needs root (network namespaces); run the lab project as root';
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `"ip netns" is unavailable: ${probe.error?.message ?? probe.stderr.trim()}`;
  for (const t of ['tcpdump', 'nsenter', 'unshare', 'ping', 'stdbuf', ...tools]) {
    const w = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', t], { encoding: 'utf8' });
    if (w.status !== 0) return `${t} is not installed (bash build/setup-debian.sh installs the lab's packages)`;
  }
  return null;
}
