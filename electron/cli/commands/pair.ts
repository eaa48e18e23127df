// `carpdeck pair`: the pairing wizard from the command line. Preflight on both nodes, the plan with each node's file
// diff, a confirmation, the two-phase apply (rolled back on any failure), verify, the optional drill, the report.
import { readFileSync, writeFileSync } from 'node:fs';
import type { ClusterPlan, CommissioningReport, PairStep, PreflightCheck, PreflightReport } from '../../../shared/pairing/schema.js';
import { addressAnswers } from '../../core/pairing/address-probe.js';
import { createPairingEngine, type ProbeSpec } from '../../core/pairing/index.js';
import { parseV6Cidr, sameV6 } from '../../core/pairing/ipv6.js';
import { labProbe } from '../../core/pairing/lab-probe.js';
import { factsOf, PlanError, withIpv6Vip, type SegmentRole } from '../../core/pairing/plan.js';
import { writeReport } from '../../core/pairing/report-files.js';
import { redacted } from '../../core/pairing/secrets.js';
import { knownErrorMessage } from '../../core/ssh/errors.js';
import { connectNode, nodeOptionsUsage, takeNodeOptions } from '../../core/ssh/options.js';
import type { SshSession } from '../../core/ssh/session.js';
import { parseTarget } from '../../core/ssh/target.js';
import { ask } from '../../core/ssh/terminal.js';
import { CliError, type Command } from '../command.js';

export const pairUsage = `usage: carpdeck pair --primary USER@HOST --secondary USER@HOST -i KEYFILE [options]

Turns two Linux firewalls into a verified CARP pair: checks both (preflight), proposes the cluster (VIPs at free
addresses, unused vhids, random passwords, advskew 0/100, state and config sync over the sync link with fresh
certificates), shows what each node's files become, asks, then applies in two phases: both nodes staged and
checked by carpd before either starts; any failure rolls both back to what they were. Then verifies the pair and,
with --drill, fails it over and back while probing through the VIP.

options:
  --primary USER@HOST      the node that should normally hold the VIPs (USER@HOST:PORT for another SSH port)
  --secondary USER@HOST    its backup
${nodeOptionsUsage.split('\n').filter((l) => !l.includes('--node USER@HOST')).join('\n')}
  --plan FILE              apply this plan (JSON, as --save-plan writes it) instead of the proposed one
  --save-plan FILE         write the proposed plan (with its passwords, mode 0600) and stop, for editing
  --vip6 SEG=ADDR/PREFIX   add an IPv6 VIP on segment SEG (lan or wan), e.g. --vip6 lan=2001:db8:1::1/64: both
                           nodes need an address in that prefix; it joins the segment's vhid group, or gets a vhid
                           of its own with ",own-vhid" or when that group is kept from an earlier pairing;
                           repeatable. Checked with a ping and the neighbour table from the primary
  --listen SECONDS         how long the preflight listens for CARP/VRRP on each segment (default 3)
  --override CHECK         accept an overridable preflight failure (e.g. sync-interface); repeatable
  --drill                  after verify: maintenance on the primary and back, probing through the VIP
  --link-loss              in the drill, also cut the primary's LAN link for 6 s
  --probe-target ADDR      what the drill pings through the VIP: a host behind the firewall (in a CarpDeck lab
                           the default is its client pinging its server, with a TCP flow between them)
  --probe-netns NS         ping from network namespace NS (a lab; needs root) instead of this computer
  --flow-port PORT         also keep a TCP flow to ADDR:PORT (a TCP echo service there)
  --flow-server-netns NS   start that echo service in namespace NS (a lab)
  --report FILE            write the commissioning report as FILE.json and FILE.html
  --json                   print the report as JSON on stdout (progress goes to stderr)

On a real site, run it from a laptop on the LAN: --probe-target is a host behind the firewall (on the WAN side),
and --flow-port a TCP echo service on it (e.g. ncat -lk 7777 --exec /bin/cat); the laptop's default gateway must be
the LAN VIP. In the lab the default equals --probe-netns LAB-client --probe-target 198.51.100.100
--flow-port 7777 --flow-server-netns LAB-server.

exit status: 0 paired and verified (and drilled, with --drill); 1 preflight, plan, apply (rolled back), verify or
drill failed; 2 bad arguments; 3 not confirmed. A failed apply still writes the report (--report, --json): its
steps show what was rolled back.`;

const mark: Record<string, string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL', skipped: 'skip', done: 'done', failed: 'FAIL', running: '... ' };

interface Args {
  primary?: string;
  secondary?: string;
  plan?: string;
  savePlan?: string;
  listen?: number;
  overrides: string[];
  vip6: { segment: SegmentRole; address: string; ownVhid: boolean }[];
  drill: boolean;
  linkLoss: boolean;
  probeTarget?: string;
  probeNetns?: string;
  flowPort?: number;
  flowServerNetns?: string;
  report?: string;
  json: boolean;
}

function parseArgs(rest: string[]): Args {
  const a: Args = { overrides: [], vip6: [], drill: false, linkLoss: false, json: false };
  for (let i = 0; i < rest.length; i++) {
    const opt = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new CliError(`pair: ${opt} needs a value\n\n${pairUsage}`);
      return v;
    };
    const number = (lo: number, hi: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < lo || n > hi) throw new CliError(`pair: ${opt} must be a whole number ${lo}..${hi}, got "${v}"`);
      return n;
    };
    if (opt === '--primary') a.primary = value();
    else if (opt === '--secondary') a.secondary = value();
    else if (opt === '--plan') a.plan = value();
    else if (opt === '--save-plan') a.savePlan = value();
    else if (opt === '--listen') a.listen = number(1, 30);
    else if (opt === '--override') a.overrides.push(value());
    else if (opt === '--vip6') a.vip6.push(parseVip6(value()));
    else if (opt === '--drill') a.drill = true;
    else if (opt === '--link-loss') a.linkLoss = true;
    else if (opt === '--probe-target') a.probeTarget = value();
    else if (opt === '--probe-netns') a.probeNetns = value();
    else if (opt === '--flow-port') a.flowPort = number(1, 65535);
    else if (opt === '--flow-server-netns') a.flowServerNetns = value();
    else if (opt === '--report') a.report = value();
    else if (opt === '--json') a.json = true;
    else throw new CliError(`pair: unexpected argument "${opt}"\n\n${pairUsage}`);
  }
  if (!a.primary || !a.secondary) throw new CliError(`pair: name both nodes with --primary USER@HOST and --secondary USER@HOST\n\n${pairUsage}`);
  if (a.linkLoss && !a.drill) throw new CliError('pair: --link-loss is part of the drill: add --drill');
  if (a.flowServerNetns && !a.probeNetns) throw new CliError('pair: --flow-server-netns is for the lab: give --probe-netns too');
  if (a.flowServerNetns && a.flowPort === undefined) a.flowPort = 7777;
  return a;
}

function parseVip6(text: string): Args['vip6'][number] {
  const m = /^(lan|wan)=([^,]+)(,own-vhid)?$/.exec(text.trim());
  if (!m) throw new CliError(`pair: --vip6 takes SEGMENT=ADDRESS/PREFIX with SEGMENT lan or wan (e.g. --vip6 lan=2001:db8:1::1/64), got "${text}"`);
  if (!parseV6Cidr(m[2])) throw new CliError(`pair: --vip6 ${text}: "${m[2]}" is not an IPv6 address with prefix length such as 2001:db8:1::1/64`);
  return { segment: m[1] as SegmentRole, address: m[2], ownVhid: m[3] !== undefined };
}

/** The plan with the --vip6 addresses added (planProblems checks them when the engine checks the plan). */
function withVip6(plan: ClusterPlan, report: PreflightReport, vip6: Args['vip6']): ClusterPlan {
  try {
    return vip6.reduce((p, v) => withIpv6Vip(p, report, v.segment, v.address, { ownVhid: v.ownVhid }), plan);
  } catch (e) {
    if (e instanceof PlanError) throw new CliError(`pair: --vip6: ${e.message}`, 2);
    throw e;
  }
}

/**
 * Problems with the --vip6 addresses someone on the segment answers for (ping, then the primary's neighbour table),
 * except those the pair holds already (a re-pair); each address probed is reported.
 */
async function probeVip6(vip6: Args['vip6'], report: PreflightReport, session: SshSession, out: (text: string) => void): Promise<string[]> {
  const primary = factsOf(report, 'primary');
  const held = [...(primary.carpd?.vhids ?? []), ...(factsOf(report, 'secondary').carpd?.vhids ?? [])].flatMap((g) => g.vips.map((x) => parseV6Cidr(x)?.address)).filter((x) => x !== undefined);
  const problems: string[] = [];
  for (const v of vip6) {
    const ifname = primary.roles[v.segment];
    const address = v.address.split('/')[0];
    const parsed = parseV6Cidr(v.address);
    if (!ifname || !parsed) continue;
    if (held.some((h) => sameV6(h, parsed.address))) out(`  ${address}: the pair holds it now (not probed)`);
    else if (await addressAnswers(session, ifname, address)) problems.push(`${v.address}: something on the ${v.segment.toUpperCase()} segment answers for ${address} (ping or ${primary.hostname}'s neighbour table): choose a free address`);
    else out(`  ${address}: no answer on ${primary.hostname}'s ${ifname} (ping, neighbour table): free`);
  }
  return problems;
}

function probeOf(a: Args): ProbeSpec | undefined {
  if (!a.probeTarget) return undefined;
  const flow = a.flowPort !== undefined ? { port: a.flowPort, ...(a.flowServerNetns ? { serverNamespace: a.flowServerNetns } : {}) } : undefined;
  return a.probeNetns ? { kind: 'netns', namespace: a.probeNetns, target: a.probeTarget, flow } : { kind: 'local', target: a.probeTarget, flow: a.flowPort !== undefined ? { port: a.flowPort } : undefined };
}

function readPlan(file: string): ClusterPlan {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ClusterPlan;
  } catch (e) {
    throw new CliError(`pair: cannot read the plan ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 1);
  }
}

export function describePlan(plan: ClusterPlan, report: PreflightReport): string {
  const host = (role: string) => report.nodes.find((n) => n.role === role)?.hostname ?? role;
  const lines = [`cluster ${plan.name}: ${host('primary')} (primary, advskew ${plan.advskew.primary}) and ${host('secondary')} (secondary, advskew ${plan.advskew.secondary})`];
  for (const v of plan.vips) {
    const kept = v.kept ? '  kept: the pair runs this group now, it does not change' : '';
    lines.push(`  ${v.role.toUpperCase()} VIP ${v.vips.join(', ')}  vhid ${v.vhid}  on ${v.interfaces.primary} / ${v.interfaces.secondary}  advbase ${v.advbase} s  password ${redacted(v.password)}${kept}`);
  }
  lines.push(`  sync link ${plan.sync.interfaces.primary} ${plan.sync.addresses.primary} <-> ${plan.sync.interfaces.secondary} ${plan.sync.addresses.secondary}: state sync ${plan.stateSync ? 'on' : 'off'}, config sync ${plan.configSync ? `on (${host('primary')} pushes)` : 'off'}`);
  return lines.join('\n');
}

export const pair: Command = async (argv) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${pairUsage}\n`);
    return 0;
  }
  const sessions: SshSession[] = [];
  try {
    const { options, rest } = takeNodeOptions(argv, 'pair');
    if (options.nodes.length > 0) throw new CliError('pair: name the nodes with --primary and --secondary (not --node)');
    const a = parseArgs(rest);
    const out = (text: string) => (a.json ? process.stderr : process.stdout).write(`${text}\n`);
    const targets = { primary: parseTarget(a.primary!), secondary: parseTarget(a.secondary!) };
    const probe = probeOf(a) ?? labProbe({ primary: targets.primary.host, secondary: targets.secondary.host });
    if (a.drill && !probe) throw new CliError('pair: the drill needs --probe-target ADDR (a host behind the firewall to ping through the VIP); only a CarpDeck lab has a default');
    const primary = await connectNode(targets.primary, options);
    sessions.push(primary);
    const secondary = await connectNode(targets.secondary, options);
    sessions.push(secondary);
    const engine = createPairingEngine({ primary, secondary }, { probe });
    const onStep = (s: PairStep) => {
      if (s.status !== 'running') out(`[${mark[s.status]}] ${s.message}`);
      else out(`       ${s.message} ...`);
    };

    out(`Preflight of ${primary.label} (primary) and ${secondary.label} (secondary)`);
    const onCheck = (c: PreflightCheck) => out(`[${mark[c.status]}] ${c.node ? `${c.node}: ` : ''}${c.title}: ${c.detail}${c.status !== 'pass' && c.fix ? `\n         fix: ${c.fix}` : ''}`);
    const pre = await engine.preflight({ listenSeconds: a.listen, overrides: a.overrides }, onCheck);
    if (!pre.ok) {
      out('\nThe preflight failed (see FAIL above, each with its fix); nothing was applied.');
      return 1;
    }

    let planned = await engine.plan(a.plan ? readPlan(a.plan) : undefined);
    let probed: string[] = [];
    if (a.vip6.length > 0) {
      planned = await engine.plan(withVip6(planned.plan, pre, a.vip6));
      out('\nIPv6 VIPs');
      probed = await probeVip6(a.vip6, pre, primary, out);
    }
    const problems = [...planned.problems, ...probed];
    out(`\nPlan\n${describePlan(planned.plan, pre)}`);
    // the terminal may be logged: passwords are shown by length only (--save-plan writes them to a private file)
    const masked = (text: string) => planned.plan.vips.reduce((t, v) => t.split(v.password).join(`<password ${redacted(v.password)}>`), text);
    for (const change of planned.changes) {
      for (const f of change.files) out(f.diff ? `\n${change.role} (${change.role === 'primary' ? primary.label : secondary.label}):\n${masked(f.diff).trimEnd()}` : `\n${change.role}: ${f.path} unchanged`);
    }
    if (problems.length > 0) {
      out(`\nThe plan cannot be applied:\n${problems.map((p) => `  - ${p}`).join('\n')}\nNothing was applied.`);
      return 1;
    }
    if (a.savePlan) {
      writeFileSync(a.savePlan, `${JSON.stringify(planned.plan, null, 2)}\n`, { mode: 0o600 });
      out(`\nPlan written to ${a.savePlan} (it holds the VIP passwords: keep it safe). Edit it and run again with --plan ${a.savePlan}.`);
      return 0;
    }
    if (!options.yes) {
      if (!process.stdin.isTTY) throw new CliError('pair: confirm with --yes (no terminal to ask on)', 3);
      const answer = await ask(`\nApply this plan to ${primary.label} and ${secondary.label} (yes/no)? `, false);
      if (!/^y(es)?$/i.test(answer.trim())) {
        out('Not applied.');
        return 3;
      }
    }

    const finish = (report: CommissioningReport) => {
      if (a.report) {
        const paths = writeReport(report, a.report);
        out(`\nReport: ${paths.html} and ${paths.json}`);
      }
      if (a.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    };
    out('\nApplying');
    try {
      await engine.apply(planned.plan, onStep);
    } catch (e) {
      out(`\nApply failed: ${knownErrorMessage(e) ?? String(e)}`);
      finish(engine.report());
      return 1;
    }
    out('\nVerifying');
    const verified = await engine.verify(onStep);
    let ok = verified.ok;
    if (a.drill && verified.ok) {
      out(`\nDrill${a.linkLoss ? ' (with link loss)' : ''}`);
      try {
        const d = await engine.drill({ linkLoss: a.linkLoss }, onStep);
        ok = ok && d.ok;
      } catch (e) {
        out(`Drill failed: ${knownErrorMessage(e) ?? (e instanceof Error ? e.message : String(e))}`);
        ok = false;
      }
    } else if (a.drill) out('\nThe drill was not run: verify failed');
    finish(engine.report());
    out(ok ? `\nPaired: ${planned.plan.name} is ${a.drill ? 'verified and drilled' : 'verified'}.` : '\nThe pair is applied but not everything passed (see FAIL above).');
    return ok ? 0 : 1;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const message = knownErrorMessage(e);
    if (message !== undefined) throw new CliError(`pair: ${message}`, 1);
    throw e;
  } finally {
    for (const s of sessions) s.close();
  }
};
