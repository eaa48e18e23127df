// The readable `carpdeck analyze` report: capture summary, each group's masters and changes, then the findings
// with their fixes. Colour only when asked (a terminal).
import type { AnalysisReport, ChangeCause, Finding, GroupSummary, Severity } from '../../shared/analysis/types.js';
import { linkTypeName } from '../../shared/capture/names.js';

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  severity(sev: Severity, s: string): string;
}

const plain: Style = { bold: (s) => s, dim: (s) => s, severity: (_v, s) => s };
const ansi: Style = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  severity: (v, s) => `\x1b[${v === 'error' ? 31 : v === 'warning' ? 33 : 36}m${s}\x1b[39m`,
};

const CAUSES: Record<ChangeCause, string> = {
  'first-seen': 'first master seen',
  preemption: 'preemption',
  'takeover-after-silence': 'takeover after silence',
  'bow-out': 'bow-out',
  'priority-zero': 'priority 0',
  demotion: 'demotion',
  unknown: 'unexplained',
};

export function formatReport(file: string, r: AnalysisReport, colour: boolean): string {
  const st = colour ? ansi : plain;
  const lines: string[] = [];
  const c = r.capture;
  const links = c.linkTypes.map((t) => linkTypeName(t) ?? `link type ${t}`).join(', ') || 'none';
  lines.push(st.bold(`${file}`) + `: ${c.format}, ${c.packets} packet${c.packets === 1 ? '' : 's'} (${links})`);
  if (c.firstTime !== null && c.lastTime !== null) {
    lines.push(`  ${iso(c.firstTime)} to ${iso(c.lastTime)} (${(c.lastTime - c.firstTime).toFixed(1)} s)`);
  }
  const adverts = advertCount(r);
  lines.push(`  ${adverts} CARP/VRRP advertisement${adverts === 1 ? '' : 's'} in ${r.groups.length} group${r.groups.length === 1 ? '' : 's'}`);
  if (c.error) lines.push(st.severity('error', `  reading stopped early: ${c.error.message}`));
  for (const g of r.groups) lines.push('', ...formatGroup(g, st));
  lines.push('');
  if (r.findings.length === 0) {
    lines.push(st.bold('No findings') + ': nothing looks wrong in this capture.');
  } else {
    lines.push(st.bold(`Findings (${r.findings.length})`));
    for (const f of r.findings) lines.push(...formatFinding(f, st));
  }
  return lines.join('\n') + '\n';
}

function advertCount(r: AnalysisReport): number {
  return r.groups.reduce((n, g) => n + g.adverts, 0);
}

function formatGroup(g: GroupSummary, st: Style): string[] {
  const proto = g.protocol === 'carp' ? `CARP vhid ${g.vhid}` : `VRRP VRID ${g.vhid}`;
  const fam = g.family === 6 ? 'IPv6' : 'IPv4';
  const vlan = g.vlans?.length ? `, VLAN ${g.vlans.join('.')}` : '';
  const out = [st.bold(`Group ${g.id}`) + ` (${proto}, ${fam}${vlan}): ${g.adverts} advertisements from ${(g.sources ?? []).join(', ')}`];
  const announced = g.announcedIntervalSeconds === null ? 'n/a' : `${g.announcedIntervalSeconds.toFixed(3)} s`;
  const measured = g.measuredIntervalSeconds === null ? 'n/a' : `${g.measuredIntervalSeconds.toFixed(3)} s`;
  out.push(`  interval: announced ${announced}, measured ${measured}`);
  if (g.hmacVerifiedWith) {
    out.push(`  HMAC verified with ${g.hmacVerifiedWith.addresses.join(', ')} (${g.hmacVerifiedWith.source === 'given' ? 'as given' : 'found in the capture'})`);
  }
  out.push('  masters:');
  for (const m of g.masters) {
    out.push(`    ${clock(m.from)} - ${clock(m.to)}  ${m.src}${m.srcMac ? ` (${m.srcMac})` : ''}, ${m.adverts} advertisement${m.adverts === 1 ? '' : 's'}`);
  }
  out.push('  changes:');
  for (const ch of g.changes) {
    const timing = ch.gapSeconds !== undefined ? st.dim(` [gap ${ch.gapSeconds.toFixed(2)} s${ch.boundSeconds !== undefined ? `, bound ${ch.boundSeconds.toFixed(2)} s` : ''}]`) : '';
    out.push(`    ${clock(ch.time)}  frame ${ch.frame}  ${CAUSES[ch.cause]}: ${ch.explanation}${timing}`);
  }
  return out;
}

function formatFinding(f: Finding, st: Style): string[] {
  const where = [f.group, clock(f.time), f.frames.length ? `frame${f.frames.length > 1 ? 's' : ''} ${f.frames.join(', ')}${(f.count ?? 0) > f.frames.length ? ', ...' : ''}` : ''].filter(Boolean).join('  ');
  return [
    `  ${st.severity(f.severity, f.severity.toUpperCase().padEnd(7))} ${st.bold(f.kind)}  ${st.dim(where)}`,
    `          ${f.message}`,
    `          ${st.bold('Fix:')} ${f.fix}`,
  ];
}

function iso(t: number): string {
  return new Date(t * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

function clock(t: number): string {
  return new Date(t * 1000).toISOString().slice(11, 23);
}
