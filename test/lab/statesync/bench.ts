// `npm run bench:state-sync` (bundled by bench/state-sync.mjs): 1,000 established TCP flows through the firewall
// pair, a hard failover (the master's links cut), three ways: carpd's state sync, no state sync, and keepalived +
// conntrackd wired as conntrackd's documentation shows (notify scripts calling primary-backup.sh); and a graceful
// handover with carpd's state sync (maintenance mode on the master).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stateSyncSchema } from '../../../daemon/statesync/config.js';
import { renderConntrackdConf } from '../../../daemon/statesync/conf.js';
import { conntrackdPaths, createStateSync, type StateSync } from '../../../daemon/statesync/sync.js';
import { nsHost } from '../../unit/statesync/nshost.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createLab, labUnavailableReason, repoRoot, sleep, startCarpd, waitFor, type Capture, type Carpd, type Lab, type LabNode, type LabProcess } from '../harness/index.js';
import { addVips, buildFirewallPair, HERE, nudgeIn, removeVips, SERVER, VIP, watchResets, type Pair } from './pair.js';

type Drill = 'carpd' | 'carpd-graceful' | 'off' | 'keepalived';

/** Whether the bundled carpd accepts "stateSync" (else the carpd drill drives the module the way carpd does). */
function carpdHasStateSync(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'ssbench-'));
  const file = join(dir, 'carpd.json');
  writeFileSync(file, JSON.stringify({ node: 'x', vhids: [{ vhid: 1, interface: 'lan', password: 'p', vips: ['10.0.1.1/24'] }], stateSync: { interface: 'sync', peer: '10.0.3.3' } }));
  return spawnSync(process.execPath, [join(repoRoot, 'bin', 'carpd.cjs'), '--config', file, '--check']).status === 0;
}

function carpdConfig(fw: LabNode, advskew: number) {
  return {
    node: fw.name,
    vhids: [
      { vhid: 1, interface: 'lan', advbase: 1, advskew, password: 'lan-secret', vips: [`${VIP.lan}/24`] },
      { vhid: 2, interface: 'wan', advbase: 1, advskew, password: 'wan-secret', vips: [`${VIP.wan}/24`] },
    ],
    stateSync: { interface: 'sync', peer: PEER[fw.name as 'fw1' | 'fw2'], startupTimeout: 20 },
  };
}

const FLOWS = 1000;
const SEND_EVERY_MS = 250;
/**
 * carpd's backup takes over 3 x advbase + advskew/256 s after the last advert (advbase 1, advskew 100); the last
 * advert went out on average half an advbase before the cut. The drills without keepalived take over then.
 */
const TAKEOVER_AFTER_CUT_MS = 3000 + (100 * 1000) / 256 - 500;
const OBSERVE_MS = 15_000;
/** A graceful handover stalls the flows far less; this is ample to see every flow resume or die. */
const OBSERVE_GRACEFUL_MS = 5000;
const PROBES = 50;
const PEER = { fw1: '10.0.3.3', fw2: '10.0.3.2' } as const;
const flowsScript = join(HERE, 'flows.mjs');

interface Result {
  drill: Drill;
  survived: number;
  resets: number;
  /** TCP resets counted arriving at the client and at the server (nftables input counters), any flow. */
  rstSeen: { client: number; server: number };
  longestStallMs: number | null;
  p50StallMs: number | null;
  /** Longest time from the VIP takeover to a flow's first echo. */
  longestResumeAfterTakeoverMs: number | null;
  takeoverToCommittedMs: number | null;
  commitMs: number | null;
  syncLagP99Ms: number | null;
  note?: string;
}

const percentile = (xs: number[], p: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

function syncConfig(fw: LabNode) {
  return stateSyncSchema.parse({ interface: 'sync', peer: PEER[fw.name as 'fw1' | 'fw2'], startupTimeout: 20 });
}

/**
 * Time from a new (NATed) flow's connect to its state in the peer's external cache, for PROBES new flows. The probe
 * flows stay open through the drill and are closed with the flow client, after the resets are counted: closing them
 * before the handover once cost a reset of its own, 2 s before the cut: the server's bare ACK of a probe's FIN reached
 * the client after the server's FIN, the client's TIME_WAIT socket answered it and the closed server socket sent a RST.
 */
async function syncLag(lab: Lab, pair: Pair, backup: LabNode, conf: string): Promise<{ lags: number[]; probe: LabProcess }> {
  const probe = lab.spawn(pair.client, [process.execPath, flowsScript, 'probe', SERVER, '5002', String(PROBES), '40']);
  const seen = new Map<number, number>();
  const deadline = Date.now() + PROBES * 40 + 5000;
  while (Date.now() < deadline && seen.size < PROBES) {
    const r = await lab.exec(backup, ['conntrackd', '-C', conf, '-e']);
    const now = Date.now();
    for (const m of r.stdout.matchAll(/src=10\.0\.1\.100 dst=10\.0\.2\.100 sport=(\d+) dport=5002/g)) if (!seen.has(Number(m[1]))) seen.set(Number(m[1]), now);
  }
  const lags: number[] = [];
  for (const m of probe.output().matchAll(/^P (\d+) (\d+)$/gm)) {
    const at = seen.get(Number(m[1]));
    if (at !== undefined) lags.push(Math.max(0, at - Number(m[2])));
  }
  return { lags, probe };
}

/** keepalived + conntrackd as the conntrackd docs wire them: a sync group whose notify scripts run primary-backup.sh. */
function keepalivedFor(lab: Lab, fw: LabNode, priority: number, conf: string): void {
  const script = join(fw.dir, 'primary-backup.sh');
  const doc = readFileSync('/usr/share/doc/conntrackd/examples/sync/primary-backup.sh', 'utf8')
    .replace(/^CONNTRACKD_CONFIG=.*$/m, `CONNTRACKD_CONFIG=${conf}`)
    .replace(/^CONNTRACKD_LOCK=.*$/m, `CONNTRACKD_LOCK=${conntrackdPaths(join(fw.dir, 'conntrackd')).lock}`);
  // Timestamps around the script, to measure VIP takeover -> states committed.
  writeFileSync(join(fw.dir, 'primary-backup-doc.sh'), doc);
  writeFileSync(script, `#!/bin/sh\necho "start $1 $(date +%s%3N)" >> ${fw.dir}/notify.log\nsh ${fw.dir}/primary-backup-doc.sh "$1"\necho "done $1 $(date +%s%3N)" >> ${fw.dir}/notify.log\n`);
  chmodSync(script, 0o755);
  const vrrp = (name: string, ifname: string, vrid: number, vip: string) => [
    `vrrp_instance ${name} {`,
    '  state BACKUP',
    `  interface ${ifname}`,
    `  virtual_router_id ${vrid}`,
    `  priority ${priority}`,
    '  advert_int 1',
    '  virtual_ipaddress {',
    `    ${vip}/24`,
    '  }',
    '}',
  ];
  const text = [
    'global_defs {',
    `  router_id bench_${fw.name}`,
    '  enable_script_security',
    '  script_user root',
    '}',
    'vrrp_sync_group G1 {',
    '  group {',
    '    VI_LAN',
    '    VI_WAN',
    '  }',
    `  notify_master "${script} primary"`,
    `  notify_backup "${script} backup"`,
    `  notify_fault "${script} fault"`,
    '}',
    ...vrrp('VI_LAN', 'lan', 61, VIP.lan),
    ...vrrp('VI_WAN', 'wan', 62, VIP.wan),
    '',
  ].join('\n');
  const base = join(fw.dir, 'keepalived');
  writeFileSync(`${base}.conf`, text);
  lab.spawn(fw, ['keepalived', '-n', '-l', '-D', '-f', `${base}.conf`, '-p', `${base}.pid`, '-r', `${base}-vrrp.pid`], { logFile: `${base}.log` });
}

/** Both VIPs (flows need the LAN and the WAN one; each vhid takes over on its own timer). */
async function holdsVip(lab: Lab, fw: LabNode): Promise<boolean> {
  return (await lab.addresses(fw, 'lan')).includes(VIP.lan) && (await lab.addresses(fw, 'wan')).includes(VIP.wan);
}

/**
 * `--trace DIR`: per drill and node, DIR/DRILL-NODE.pcap holds every TCP reset and every packet of the sync-lag probe
 * flows (tcpdump on all interfaces); DIR/DRILL-timeline.json the cut, takeover and counting times, the flows' errors,
 * carpd's events and the nudges. To find which flow a reset hit, from whom and when relative to the handover.
 */
interface Trace {
  dir: string;
  captures: Capture[];
}

async function startTrace(lab: Lab, pair: Pair, kind: Drill, dir: string): Promise<Trace> {
  mkdirSync(dir, { recursive: true });
  const captures: Capture[] = [];
  for (const node of [pair.client, pair.server, pair.fw1, pair.fw2]) {
    captures.push(await lab.capture(node, 'any', join(dir, `${kind}-${node.name}.pcap`), '(tcp[tcpflags] & tcp-rst != 0) or tcp port 5002'));
  }
  return { dir, captures };
}

async function drill(kind: Drill, realCarpd: boolean, log: (l: string) => void, traceDir?: string): Promise<Result> {
  const lab = await createLab('ssbench');
  try {
    const pair = await buildFirewallPair(lab);
    const trace = traceDir ? await startTrace(lab, pair, kind, traceDir) : undefined;
    const syncs: Partial<Record<'fw1' | 'fw2', StateSync>> = {};
    const graceful = kind === 'carpd-graceful';
    const withCarpdSync = kind === 'carpd' || graceful;
    const useCarpd = withCarpdSync && realCarpd;
    // startCarpd keeps its state in the node's carpd-state directory; carpd keeps conntrackd's files under it.
    const ctDir = (fw: LabNode) => (useCarpd ? join(fw.dir, 'carpd-state', 'conntrackd') : join(fw.dir, 'conntrackd'));
    const confs = { fw1: conntrackdPaths(ctDir(pair.fw1)).conf, fw2: conntrackdPaths(ctDir(pair.fw2)).conf };
    const carpds: Carpd[] = [];
    if (useCarpd) {
      carpds.push(await startCarpd(lab, pair.fw1, carpdConfig(pair.fw1, 0)), await startCarpd(lab, pair.fw2, carpdConfig(pair.fw2, 100)));
      await waitFor('both carpd ready and fw1 master', async () => {
        const [a, b] = await Promise.all(carpds.map((c) => c.status()));
        return (a.stateSync as { ready: boolean }).ready && (b.stateSync as { ready: boolean }).ready && a.vhids.every((v) => v.state === 'MASTER');
      }, 30_000, 200);
    } else if (withCarpdSync) {
      for (const fw of [pair.fw1, pair.fw2]) {
        const s = createStateSync(syncConfig(fw), { dir: join(fw.dir, 'conntrackd'), host: nsHost(fw.netns), nudge: nudgeIn(lab, fw) });
        const err = await s.start();
        if (err) throw new Error(err.message);
        s.onEvent((e) => e.kind === 'nudge' && writeFileSync(join(fw.dir, 'nudge-events.log'), `${e.message}\n`, { flag: 'a' }));
        syncs[fw.name as 'fw1' | 'fw2'] = s;
      }
      await waitFor('both nodes ready', () => syncs.fw1!.ready && syncs.fw2!.ready, 30_000, 100);
      await syncs.fw1!.beforeMaster();
      await addVips(lab, pair.fw1);
      await syncs.fw1!.afterMaster();
      await syncs.fw2!.onBackup();
    } else if (kind === 'keepalived') {
      for (const fw of [pair.fw1, pair.fw2]) {
        const paths = conntrackdPaths(join(fw.dir, 'conntrackd'));
        const r = renderConntrackdConf({ config: syncConfig(fw), localAddress: fw.name === 'fw1' ? PEER.fw2 : PEER.fw1, paths });
        if (!r.ok) throw new Error(r.message);
        await lab.execOk(fw, ['mkdir', '-p', join(fw.dir, 'conntrackd')]);
        writeFileSync(paths.conf, r.text);
        lab.spawn(fw, ['conntrackd', '-C', paths.conf]);
      }
      await sleep(500);
      keepalivedFor(lab, pair.fw1, 150, confs.fw1);
      await waitFor('keepalived on fw1 to hold the VIPs', () => holdsVip(lab, pair.fw1), 20_000, 100);
      keepalivedFor(lab, pair.fw2, 100, confs.fw2);
      await sleep(2000);
    } else {
      await addVips(lab, pair.fw1);
    }

    const rst = { client: await watchResets(lab, pair.client), server: await watchResets(lab, pair.server) };
    const server = lab.spawn(pair.server, [process.execPath, flowsScript, 'server']);
    await server.waitForOutput(/listening/);
    const many = lab.spawn(pair.client, [process.execPath, flowsScript, 'many', SERVER, '5001', String(FLOWS), String(SEND_EVERY_MS)]);
    await many.waitForOutput(/ready \d+/, 60_000);
    let lags: number[] = [];
    let probe: LabProcess | undefined;
    if (kind !== 'off') {
      await waitFor(`fw2 to hold ${FLOWS} states`, async () => {
        const r = await lab.exec(pair.fw2, ['conntrackd', '-C', confs.fw2, '-e']);
        return r.stdout.split('\n').filter((l) => l.includes('dport=5001')).length >= FLOWS;
      }, 60_000, 500);
      ({ lags, probe } = await syncLag(lab, pair, pair.fw2, confs.fw2));
    }
    await sleep(2000);

    const conntrackStats = async () => ({ fw1: (await lab.exec(pair.fw1, ['conntrack', '-S'])).stdout, fw2: (await lab.exec(pair.fw2, ['conntrack', '-S'])).stdout });
    const statsBeforeCut = trace ? await conntrackStats() : undefined;
    const cutAt = Date.now();
    if (graceful && useCarpd) {
      const r = await carpds[0].ctl(['maintenance', 'on']);
      if (r.code !== 0) throw new Error(`carpctl maintenance on failed: ${r.stderr.trim()}`);
    } else if (!graceful) {
      for (const i of ['lan', 'wan', 'sync']) await lab.linkDown(pair.fw1, i);
    }
    let takeoverAt: number;
    let commitMs: number | null = null;
    let takeoverToCommittedMs: number | null = null;
    if (graceful && !useCarpd) {
      // What carpd does when the master goes into maintenance: it bows out, the backup takes over at once.
      await removeVips(lab, pair.fw1);
      await syncs.fw1!.onBackup();
      const c = await syncs.fw2!.beforeMaster();
      commitMs = c.ms;
      takeoverToCommittedMs = 0;
      await addVips(lab, pair.fw2);
      takeoverAt = Date.now();
      await syncs.fw2!.afterMaster();
    } else if (useCarpd) {
      await waitFor('carpd on fw2 to take the VIPs', () => holdsVip(lab, pair.fw2), 20_000, 20);
      takeoverAt = Date.now();
      commitMs = ((await carpds[1].status()).stateSync as { lastCommit: { ms: number } | null }).lastCommit?.ms ?? null;
      takeoverToCommittedMs = 0;
    } else if (kind === 'keepalived') {
      await waitFor('keepalived on fw2 to take the VIPs', () => holdsVip(lab, pair.fw2), 20_000, 20);
      takeoverAt = Date.now();
      const notify = await waitFor('primary-backup.sh primary to finish on fw2', () => {
        const text = (() => {
          try {
            return readFileSync(join(pair.fw2.dir, 'notify.log'), 'utf8');
          } catch {
            return '';
          }
        })();
        const start = /start primary (\d+)/.exec(text);
        const done = /done primary (\d+)/.exec(text);
        return start && done ? { start: Number(start[1]), done: Number(done[1]) } : undefined;
      }, 20_000, 50);
      commitMs = notify.done - notify.start;
      takeoverToCommittedMs = notify.done - takeoverAt;
    } else {
      await sleep(TAKEOVER_AFTER_CUT_MS);
      if (kind === 'carpd') {
        const c = await syncs.fw2!.beforeMaster();
        commitMs = c.ms;
        takeoverToCommittedMs = 0;
      }
      await addVips(lab, pair.fw2);
      takeoverAt = Date.now();
      if (kind === 'carpd') await syncs.fw2!.afterMaster();
    }
    await sleep(graceful ? OBSERVE_GRACEFUL_MS : OBSERVE_MS);
    // Counted before the flow client and the sync-lag probes exit: their sockets close with echoes in flight, and
    // those teardown resets say nothing about the takeover.
    const rstSeen = { client: await rst.client(), server: await rst.server() };
    const rstCountedAt = Date.now();
    const statsAtCount = trace ? await conntrackStats() : undefined;
    probe?.kill('SIGKILL');
    many.kill('SIGTERM');
    await many.exited;
    const line = many.output().split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`the flow client printed no summary:\n${many.output().slice(-500)}`);
    const { flows } = JSON.parse(line) as { flows: { echoes: number[]; error?: string }[] };
    const stalls: number[] = [];
    const resumes: number[] = [];
    let survived = 0;
    for (const f of flows) {
      const after = f.echoes.findIndex((t) => t > takeoverAt);
      if (f.error || after < 0) continue;
      survived++;
      // The longest time without an echo from the flow's last echo before the cut on: echoes between the cut and the
      // takeover (a graceful handover lets some through) split the outage, they do not add to it.
      let last = [...f.echoes].reverse().find((t) => t <= cutAt) ?? cutAt;
      let worst = 0;
      for (const t of f.echoes.filter((x) => x > cutAt)) {
        worst = Math.max(worst, t - last);
        last = t;
      }
      stalls.push(worst);
      resumes.push(f.echoes[after] - takeoverAt);
    }
    const resets = flows.filter((f) => f.error === 'ECONNRESET').length;
    for (const s of Object.values(syncs)) await s?.stop();
    const nudgeText = useCarpd
      ? (await carpds[1].events()).map((e) => e.cause).join('\n')
      : withCarpdSync
        ? readFileSync(join(pair.fw2.dir, 'nudge-events.log'), 'utf8')
        : '';
    const nudge = [...nudgeText.matchAll(/prompted \d+ TCP endpoint\(s\) of \d+ flow\(s\)[^;\n]*/g)].map((m) => m[0]).join(', then ') || undefined;
    const r: Result = {
      drill: kind,
      survived,
      resets,
      rstSeen,
      longestStallMs: stalls.length ? Math.max(...stalls) : null,
      p50StallMs: percentile(stalls, 50),
      longestResumeAfterTakeoverMs: resumes.length ? Math.max(...resumes) : null,
      takeoverToCommittedMs,
      commitMs: commitMs === null ? null : Number(commitMs.toFixed(1)),
      syncLagP99Ms: percentile(lags, 99),
      note: `VIP takeover ${((takeoverAt - cutAt) / 1000).toFixed(2)} s after the ${graceful ? 'maintenance command' : 'cut'}${nudge ? `; ${nudge}` : ''}`,
    };
    if (trace) {
      for (const c of trace.captures) await c.stop();
      const events = useCarpd ? { fw1: await carpds[0].events(), fw2: await carpds[1].events() } : {};
      const timeline = { cutAt, takeoverAt, rstCountedAt, conntrackStats: { beforeCut: statsBeforeCut, atCount: statsAtCount }, resumedAfterTakeoverMs: resumes, flowErrors: flows.flatMap((f, i) => (f.error ? [{ flow: i, error: f.error }] : [])), events, nudges: nudgeText };
      writeFileSync(join(trace.dir, `${kind}-timeline.json`), `${JSON.stringify(timeline, null, 1)}\n`);
    }
    log(`${kind}: ${survived}/${FLOWS} flows survived, ${resets} resets (RSTs seen: client ${rstSeen.client}, server ${rstSeen.server}), longest stall ${r.longestStallMs ?? '-'} ms, ${r.note}`);
    return r;
  } finally {
    await lab.cleanup();
  }
}

const DRILLS: readonly Drill[] = ['carpd', 'carpd-graceful', 'off', 'keepalived'];
const USAGE = `usage: npm run bench:state-sync -- [--drill ${DRILLS.join('|')}]... [--trace DIR]
  --drill NAME  run only this drill (repeatable); a target whose drill did not run is not met
  --trace DIR   capture every TCP reset (and the sync-lag probe flows) on every node in DIR/DRILL-NODE.pcap and write
                DIR/DRILL-timeline.json (cut, takeover, conntrack -S, carpd events, nudges)`;

function parseArgs(argv: readonly string[]): { drills: Drill[]; traceDir?: string } | string {
  const drills: Drill[] = [];
  let traceDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--drill' && DRILLS.includes(value as Drill)) drills.push(value as Drill);
    else if (flag === '--trace' && value && !value.startsWith('--')) traceDir = resolve(value);
    else if (flag === '--drill') return `bench:state-sync: unknown drill ${JSON.stringify(value ?? '')} (one of ${DRILLS.join(', ')})\n${USAGE}`;
    else if (flag === '--trace') return `bench:state-sync: --trace needs a directory\n${USAGE}`;
    else return `bench:state-sync: unknown argument ${JSON.stringify(flag)}\n${USAGE}`;
    i++;
  }
  return { drills: drills.length ? drills : [...DRILLS], traceDir };
}

export async function main(argv: readonly string[] = []): Promise<number> {
  const log = (line: string) => console.log(line);
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(args);
    return 2;
  }
  const reason = labUnavailableReason(['conntrackd', 'keepalived', 'nft', 'python3']);
  if (reason) {
    console.error(`bench:state-sync: ${reason}`);
    return 1;
  }
  log(`state sync drills: ${FLOWS} TCP flows (one line every ${SEND_EVERY_MS} ms each), hard failover by cutting the master's links`);
  log('carpd-graceful: the same flows, graceful handover by `carpctl maintenance on` on the master (carpd\'s state sync)');
  log(`off: VIPs moved ${(TAKEOVER_AFTER_CUT_MS / 1000).toFixed(2)} s after the cut (CARP master-down timing) with no state sync; keepalived: its own VRRP timing`);
  const realCarpd = carpdHasStateSync();
  log(realCarpd ? 'carpd drill: carpd itself (advbase 1, backup advskew 100) runs conntrackd' : `carpd drill: the bundled carpd has no "stateSync" yet; the state sync module is driven in carpd's order, VIPs taken over ${(TAKEOVER_AFTER_CUT_MS / 1000).toFixed(2)} s after the cut`);
  const results: Result[] = [];
  for (const kind of args.drills) {
    try {
      results.push(await drill(kind, realCarpd, log, args.traceDir));
    } catch (e) {
      log(`${kind}: drill failed: ${(e as Error).message}`);
    }
  }
  const fmt = (v: number | null) => (v === null ? '-' : String(v));
  log('');
  log('drill            survived  resets  longest stall ms  p50 stall ms  takeover->resumed ms  commit ms  takeover->committed ms  sync lag p99 ms  RSTs seen client/server');
  for (const r of results) {
    log(
      `${r.drill.padEnd(16)} ${`${r.survived}/${FLOWS}`.padStart(8)}  ${String(r.resets).padStart(6)}  ${fmt(r.longestStallMs).padStart(16)}  ${fmt(r.p50StallMs).padStart(12)}  ${fmt(r.longestResumeAfterTakeoverMs).padStart(20)}  ${fmt(r.commitMs).padStart(9)}  ${fmt(r.takeoverToCommittedMs).padStart(22)}  ${fmt(r.syncLagP99Ms).padStart(15)}  ${`${r.rstSeen.client}/${r.rstSeen.server}`.padStart(23)}`,
    );
  }
  const ours = results.find((r) => r.drill === 'carpd');
  const graceful = results.find((r) => r.drill === 'carpd-graceful');
  const noRst = (r: Result) => r.resets === 0 && r.rstSeen.client === 0 && r.rstSeen.server === 0;
  const targets = {
    hardFailover: Boolean(ours && ours.survived === FLOWS && noRst(ours) && ours.syncLagP99Ms !== null && ours.syncLagP99Ms < 1000),
    gracefulHandover: Boolean(graceful && graceful.survived === FLOWS && noRst(graceful) && graceful.longestStallMs !== null && graceful.longestStallMs < 1000),
  };
  const met = targets.hardFailover && targets.gracefulHandover;
  const said = (ok: boolean) => (ok ? 'met' : 'NOT met');
  log(`targets: carpd keeps ${FLOWS}/${FLOWS} flows with 0 resets and sync lag p99 < 1000 ms: ${said(targets.hardFailover)}; on a graceful handover ${FLOWS}/${FLOWS} flows, 0 resets, longest stall < 1000 ms: ${said(targets.gracefulHandover)} (${fmt(graceful?.longestStallMs ?? null)} ms)`);
  const resumed = ours?.longestResumeAfterTakeoverMs ?? null;
  log(`stretch: every flow resumes within 1000 ms of the VIP takeover: ${resumed !== null && resumed < 1000 ? 'met' : 'NOT met'} (${fmt(resumed)} ms)`);
  // One line, as every benchmark ends: the drills' results are its figures.
  console.log(JSON.stringify({ bench: 'state-sync', figures: { drills: results }, targets, met }));
  return met ? 0 : 1;
}
