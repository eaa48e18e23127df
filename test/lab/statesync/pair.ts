// A firewall pair for the state sync lab: client (LAN) -> fw1/fw2 (VIPs 10.0.1.1 / 10.0.2.1) -> server (WAN), with a
// dedicated sync link, a stateful nftables ruleset and nf_conntrack_tcp_loose=0, so a flow whose state is missing on
// the firewall that holds the VIPs is really dropped.
import { build } from 'esbuild';
import { join } from 'node:path';
import type { NudgeResult } from '../../../daemon/statesync/nudge/nudge.js';
import type { Lab, LabNode, LabProcess } from '../harness/index.js';
import { repoRoot, waitFor } from '../harness/index.js';

export const VIP = { lan: '10.0.1.1', wan: '10.0.2.1' } as const;
export const SERVER = '10.0.2.100';
/** This folder (also when bundled into dist/bench by the benchmark). */
export const HERE = join(repoRoot, 'test', 'lab', 'statesync');
const HOST = { fw1: 2, fw2: 3 } as const;

const RULESET = `
table inet carplab_filter {
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    ct state new iifname "lan" oifname "wan" accept
  }
}
table ip carplab_nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" tcp dport 5002 snat to ${VIP.wan}
  }
}
`;

export interface Pair {
  fw1: LabNode;
  fw2: LabNode;
  client: LabNode;
  server: LabNode;
}

export async function buildFirewallPair(lab: Lab): Promise<Pair> {
  const [lan, wan, sync] = [await lab.bridge('lan'), await lab.bridge('wan'), await lab.bridge('sync')];
  const [fw1, fw2, client, server] = await Promise.all(['fw1', 'fw2', 'client', 'server'].map((n) => lab.node(n)));
  for (const [fw, n] of [[fw1, HOST.fw1], [fw2, HOST.fw2]] as const) {
    await lab.link(fw, lan, { ifname: 'lan', addrs: [`10.0.1.${n}/24`] });
    await lab.link(fw, wan, { ifname: 'wan', addrs: [`10.0.2.${n}/24`] });
    await lab.link(fw, sync, { ifname: 'sync', addrs: [`10.0.3.${n}/24`] });
    await lab.execOk(fw, ['nft', '-f', '-'], { input: RULESET });
    // nf_conntrack sysctls are per network namespace; they exist once the ruleset above uses conntrack.
    await lab.execOk(fw, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1', 'net.netfilter.nf_conntrack_tcp_loose=0', 'net.netfilter.nf_conntrack_acct=1']);
  }
  await lab.link(client, lan, { ifname: 'lan', addrs: ['10.0.1.100/24'] });
  await lab.link(server, wan, { ifname: 'wan', addrs: [`${SERVER}/24`] });
  await lab.execOk(client, ['ip', 'route', 'add', 'default', 'via', VIP.lan]);
  await lab.execOk(server, ['ip', 'route', 'add', 'default', 'via', VIP.wan]);
  return { fw1, fw2, client, server };
}

/** Adds the VIPs and announces them with gratuitous ARP, as carpd does on MASTER. */
export async function addVips(lab: Lab, fw: LabNode): Promise<void> {
  for (const [ifname, ip] of [['lan', VIP.lan], ['wan', VIP.wan]] as const) {
    await lab.execOk(fw, ['ip', 'addr', 'add', `${ip}/24`, 'dev', ifname]);
    await lab.execOk(fw, ['python3', join(HERE, 'garp.py'), ifname, ip]);
  }
}

export async function removeVips(lab: Lab, fw: LabNode): Promise<void> {
  for (const [ifname, ip] of [['lan', VIP.lan], ['wan', VIP.wan]] as const) await lab.exec(fw, ['ip', 'addr', 'del', `${ip}/24`, 'dev', ifname]);
}

export interface Flow {
  name: string;
  proc: LabProcess;
}

export interface FlowReport {
  name: string;
  echoes: number[];
  breaks: string[];
}

const FLOWS = [
  { name: 'tcp', argv: ['tcp', SERVER, '5001'] },
  { name: 'tcp-nat', argv: ['tcp', SERVER, '5002'] },
  { name: 'udp', argv: ['udp', SERVER, '5003'] },
] as const;

/** Starts the echo server and one TCP, one NATed TCP and one UDP flow; resolves once every flow has echoes. */
export async function startFlows(lab: Lab, pair: Pair): Promise<Flow[]> {
  const script = join(HERE, 'flows.mjs');
  const server = lab.spawn(pair.server, [process.execPath, script, 'server']);
  await server.waitForOutput(/listening/);
  const flows = FLOWS.map((f) => ({ name: f.name, proc: lab.spawn(pair.client, [process.execPath, script, ...f.argv]) }));
  await Promise.all(flows.map((f) => f.proc.waitForOutput(/^E 3 /m)));
  return flows;
}

export function report(flow: Flow): FlowReport {
  const echoes: number[] = [];
  const breaks: string[] = [];
  for (const line of flow.proc.output().split('\n')) {
    const m = /^([EX]) (\S+) (\d+)$/.exec(line);
    if (m?.[1] === 'E') echoes.push(Number(m[3]));
    else if (m?.[1] === 'X') breaks.push(m[2]);
  }
  return { name: flow.name, echoes, breaks };
}

/** The longest time without an echo, in ms, among echoes from `since` on (includes the gap across `since`). */
export function longestStall(r: FlowReport, since: number): number {
  let worst = 0;
  for (let i = 1; i < r.echoes.length; i++) if (r.echoes[i] >= since) worst = Math.max(worst, r.echoes[i] - r.echoes[i - 1]);
  return worst;
}

/** Waits until every flow has echoed after `since` (wall-clock ms). */
export async function waitEchoesAfter(flows: Flow[], since: number, timeoutMs: number): Promise<void> {
  try {
    await waitFor(`an echo on every flow after ${new Date(since).toISOString()}`, () => flows.every((f) => report(f).echoes.some((t) => t > since)), timeoutMs, 100);
  } catch (e) {
    // Which flow went quiet, since when, and whether it saw a break, so an intermittent failure can be traced.
    const seen = flows.map((f) => {
      const r = report(f);
      const last = r.echoes.at(-1);
      return `${r.name}: ${r.echoes.length} echoes, last ${last === undefined ? 'never' : new Date(last).toISOString()}, breaks [${r.breaks.join(', ')}], running ${f.proc.running}`;
    });
    throw new Error(`${(e as Error).message}\n${seen.join('\n')}`);
  }
}

/** The flows' conntrack entries a node's conntrackd holds in its external cache (states received from the peer). */
export async function externalFlowStates(lab: Lab, fw: LabNode, conf: string): Promise<string[]> {
  const r = await lab.exec(fw, ['conntrackd', '-C', conf, '-e']);
  return r.stdout.split('\n').filter((l) => /dport=500[123]\b/.test(l));
}

let nudgeBundle: Promise<string> | undefined;

/**
 * The retransmission nudge, run inside `fw`'s namespace (libpcap must open the firewall's interfaces, which the test
 * process cannot see): nudge/main.ts bundled once into dist/statesync-lab/.
 */
export function nudgeIn(lab: Lab, fw: LabNode): () => Promise<NudgeResult> {
  nudgeBundle ??= (async () => {
    const outfile = join(repoRoot, 'dist', 'statesync-lab', 'nudge.cjs');
    await build({ entryPoints: [join(repoRoot, 'daemon', 'statesync', 'nudge', 'main.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'warning' });
    return outfile;
  })();
  return async () => {
    const r = await lab.execOk(fw, [process.execPath, await nudgeBundle!]);
    return JSON.parse(r.stdout) as NudgeResult;
  };
}

/** Counts TCP resets arriving at an end host (nftables input counter), so a test sees a reset at either end. */
export async function watchResets(lab: Lab, node: LabNode): Promise<() => Promise<number>> {
  await lab.execOk(node, ['nft', '-f', '-'], { input: 'table inet carplab_rst {\n  chain input {\n    type filter hook input priority filter; policy accept;\n    tcp flags & rst == rst counter\n  }\n}\n' });
  return async () => {
    const r = await lab.execOk(node, ['nft', 'list', 'chain', 'inet', 'carplab_rst', 'input']);
    const m = /counter packets (\d+)/.exec(r.stdout);
    if (!m) throw new Error(`no reset counter in ${node.name}'s ruleset:\n${r.stdout}`);
    return Number(m[1]);
  };
}
