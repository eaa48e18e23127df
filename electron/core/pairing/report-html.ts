// The commissioning report as one self-contained HTML page: inline CSS only, no script, no external resource (it
// opens offline, from a USB stick on site). Every value is escaped; passwords never reach it (report.ts).
import type { CommissioningReport, PreflightCheck } from '../../../shared/pairing/schema.js';

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = escapeHtml;
const time = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '');
const badge = (ok: boolean | null, yes = 'PASS', no = 'FAIL') => (ok === null ? '<span class="b skip">not run</span>' : `<span class="b ${ok ? 'ok' : 'bad'}">${ok ? yes : no}</span>`);

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  return `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const statusClass: Record<string, string> = { pass: 'ok', warn: 'warn', fail: 'bad', skipped: 'skip', done: 'ok', failed: 'bad', running: 'skip' };
const status = (s: string) => `<span class="b ${statusClass[s] ?? 'skip'}">${e(s)}</span>`;

const checkRows = (checks: PreflightCheck[]) => checks.map((c) => [status(c.status), e(c.node ?? 'pair'), e(c.title), e(c.detail), e(c.fix)]);

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#1d2430;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:2px solid #d8dee8;padding-bottom:.2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #d8dee8;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f1f4f8}code,.mono{font-family:ui-monospace,monospace;font-size:.92em}.muted{color:#6b7585}
.b{display:inline-block;padding:0 .5em;border-radius:3px;font-weight:600;font-size:.85em}.ok{background:#d7f5dd;color:#145c24}
.bad{background:#fbdada;color:#8a1414}.warn{background:#fff1c7;color:#6b4e00}.skip{background:#e8ebf0;color:#4a5362}
.summary{display:flex;gap:2em;flex-wrap:wrap}.summary div{min-width:12em}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}`;

export function renderReportHtml(r: CommissioningReport): string {
  const nodes = r.preflight.nodes;
  const host = (role: string) => nodes.find((n) => n.role === role)?.hostname ?? role;
  const preflightOk = r.preflight.ok;
  const parts: string[] = [];
  parts.push(`<h1>Commissioning report: ${e(r.plan.name)}</h1>`);
  parts.push(`<p class="muted">Created ${e(time(r.created))} by CarpDeck ${e(r.carpdeckVersion)} (${e(r.format)})</p>`);
  const rolledBack = r.steps.some((s) => s.phase === 'rollback');
  const activated = r.steps.filter((s) => s.phase === 'activate' && s.status === 'done' && s.node !== null).length >= 2;
  const applied = rolledBack ? '<span class="b bad">ROLLED BACK</span>' : badge(activated ? true : null);
  parts.push(
    `<div class="summary"><div>Preflight ${badge(preflightOk)}</div><div>Apply ${applied}</div><div>Verify ${badge(r.verify ? r.verify.ok : null)}</div><div>Drill ${badge(r.drill ? r.drill.ok : null)}</div></div>`,
  );
  parts.push('<h2>Nodes</h2>');
  parts.push(
    table(
      ['role', 'host', 'SSH', 'system', 'interfaces (role: name, addresses)', 'SSH host key', 'carpd before'],
      nodes.map((n) => [
        e(n.role),
        e(n.hostname),
        `<span class="mono">${e(n.target)}</span>`,
        `${e(n.os)}<br><span class="muted">${e(n.arch)}, kernel ${e(n.kernel)}</span>`,
        n.interfaces
          .map((i) => {
            const role = Object.entries(n.roles).find(([, v]) => v === i.name)?.[0];
            return `${role ? `<b>${e(role)}</b>: ` : ''}<span class="mono">${e(i.name)}</span> ${i.up ? '' : '(down) '}<span class="mono">${e(i.addresses.join(', '))}</span>${i.mac ? ` <span class="muted mono">${e(i.mac)}</span>` : ''}`;
          })
          .join('<br>'),
        `<span class="mono">${e(n.hostKeyFingerprint)}</span>`,
        e(n.carpdVersion ?? 'none'),
      ]),
    ),
  );
  parts.push('<h2>Cluster</h2>');
  parts.push(
    table(
      ['segment', 'vhid', 'VIP', `interface on ${host('primary')}`, `interface on ${host('secondary')}`, 'advbase', 'advskew (primary / secondary)', 'password'],
      r.plan.vips.map((v) => [e(v.role.toUpperCase()), e(v.vhid), `<span class="mono">${e(v.vips.join(', '))}</span>`, e(v.interfaces.primary), e(v.interfaces.secondary), `${e(v.advbase)} s`, `${e(r.plan.advskew.primary)} / ${e(r.plan.advskew.secondary)}`, e(v.password)]),
    ),
  );
  parts.push(
    table(
      ['sync link', host('primary'), host('secondary'), 'state sync', 'config sync'],
      [[e('interface, address'), `${e(r.plan.sync.interfaces.primary)} <span class="mono">${e(r.plan.sync.addresses.primary)}</span>`, `${e(r.plan.sync.interfaces.secondary)} <span class="mono">${e(r.plan.sync.addresses.secondary)}</span>`, e(r.plan.stateSync ? 'on (conntrackd)' : 'off'), e(r.plan.configSync ? `on (${host('primary')} pushes, mutual TLS)` : 'off')]],
    ),
  );
  if (r.plan.overrides.length > 0) parts.push(`<p>Checks overridden by the user: ${e(r.plan.overrides.join(', '))}</p>`);
  parts.push(`<h2>Preflight ${badge(preflightOk)}</h2><p class="muted">Run ${e(time(r.preflight.time))}</p>`);
  parts.push(table(['result', 'node', 'check', 'found', 'fix'], checkRows(r.preflight.checks)));
  parts.push(`<h2>Verify ${badge(r.verify ? r.verify.ok : null)}</h2>`);
  if (r.verify) {
    parts.push(table(['vhid', 'master'], r.verify.masters.map((m) => [e(m.vhid), m.master ? e(`${m.master} (${host(m.master)})`) : '<span class="b bad">none or both</span>'])));
    parts.push(table(['result', 'node', 'check', 'found', 'fix'], checkRows(r.verify.checks)));
  }
  parts.push(`<h2>Failover drill ${badge(r.drill ? r.drill.ok : null)}</h2>`);
  if (r.drill) {
    parts.push(`<p class="muted">${e(time(r.drill.started))} to ${e(time(r.drill.finished))}</p>`);
    parts.push(
      table(
        ['phase', 'longest interruption', 'probes lost', 'TCP flow', 'master after'],
        r.drill.phases.map((p) => [e(p.name), `${e(p.interruptionMs)} ms`, e(p.probesLost), badge(p.flowSurvived, 'survived', 'broke'), e(p.newMaster ? `${p.newMaster} (${host(p.newMaster)})` : 'none or both')]),
      ),
    );
  }
  parts.push('<h2>Steps</h2>');
  parts.push(table(['#', 'time', 'phase', 'node', 'status', 'what'], r.steps.map((s) => [e(s.seq), `<span class="mono">${e(time(s.time))}</span>`, e(s.phase), e(s.node ?? ''), status(s.status), e(s.message)])));
  parts.push('<h2>carpd event log</h2>');
  parts.push(table(['time', 'node', 'event'], r.events.map((ev) => [`<span class="mono">${e(time(ev.time))}</span>`, e(`${ev.node} (${host(ev.node)})`), e(ev.text)])));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(`Commissioning report: ${r.plan.name}`)}</title><style>${CSS}</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}
