import type { AnalysisReport, Finding } from '../../../shared/analysis/types.js';
import { causeLabel, formatCount, formatDuration, formatUtc, groupLabel, plural } from './format.js';
import { layoutTimeline, type TimelineLayout } from './timeline-layout.js';
import { syncFlowsOf, syncPackets, type SyncFlow } from './sync-flows.js';

/**
 * The report as one standalone HTML file: inline CSS, an inline SVG timeline, no scripts and no external
 * resources, so it opens anywhere and can be attached to a ticket.
 */

const esc = (s: string | number) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;margin:0;background:#f5f6f8}
main{max-width:1040px;margin:0 auto;padding:24px 32px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 10px;border-bottom:1px solid #d8dce3;padding-bottom:4px}
.meta{color:#5b6575;margin:0}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e4e7ec;vertical-align:top}
th{background:#eef0f4;font-weight:600}
.nowrap{white-space:nowrap}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;background:#fff;padding:12px 16px;margin:0}
dt{color:#5b6575}dd{margin:0}
.finding{background:#fff;border-left:4px solid #6b7280;padding:10px 14px;margin:0 0 10px}
.finding.error{border-color:#c0362c}.finding.warning{border-color:#b7791f}.finding.info{border-color:#2f6fb3}
.sev{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;padding:1px 6px;border-radius:3px;color:#fff;background:#6b7280;margin-right:8px}
.sev.error{background:#c0362c}.sev.warning{background:#8a5a00}.sev.info{background:#2f6fb3}
.fix{margin:4px 0 0}.frames{color:#5b6575;font-size:12px;margin:4px 0 0}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:8px 0 0;padding:0;list-style:none}
.swatch{display:inline-block;margin-right:6px;vertical-align:-1px}
svg{background:#fff;display:block;width:100%;height:auto}
.legend svg{display:inline-block;width:12px}
.empty{color:#5b6575;background:#fff;padding:12px 16px;margin:0}
footer{margin-top:40px;color:#5b6575;font-size:12px}
`;

const LABEL_W = 170;
const TRACK_W = 800;
const LANE_H = 30;
const AXIS_H = 26;

export function timelineSvg(layout: TimelineLayout): string {
  const width = LABEL_W + TRACK_W + 20;
  const height = layout.lanes.length * LANE_H + AXIS_H + 8;
  const x = (f: number) => (LABEL_W + f * TRACK_W).toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Master timeline per group" font-family="system-ui,sans-serif" font-size="12">`,
  ];
  layout.lanes.forEach((lane, i) => {
    const y = i * LANE_H + 4;
    parts.push(`<g class="lane" data-group="${esc(lane.id)}">`);
    parts.push(`<text x="8" y="${y + 17}" fill="#1d2430">${esc(lane.label)}</text>`);
    parts.push(`<rect x="${LABEL_W}" y="${y}" width="${TRACK_W}" height="${LANE_H - 8}" fill="#eef0f4"/>`);
    for (const s of lane.segments) {
      const w = Math.max(1.5, (s.x1 - s.x0) * TRACK_W);
      parts.push(
        `<rect x="${x(s.x0)}" y="${y}" width="${w.toFixed(1)}" height="${LANE_H - 8}" fill="${s.colour}"><title>${esc(s.title)}</title></rect>`,
      );
      if (w >= s.master.length * 7 + 12) {
        parts.push(
          `<text x="${(Number(x(s.x0)) + 6).toFixed(1)}" y="${y + 15}" fill="${s.ink === 'dark' ? '#14171c' : '#fff'}" font-family="ui-monospace,monospace" font-size="11">${esc(s.master)}</text>`,
        );
      }
    }
    for (const c of lane.changes) {
      parts.push(
        `<path d="M${x(c.x)} ${y - 3}v${LANE_H - 2}" stroke="#1d2430" stroke-width="2"><title>${esc(c.title)}</title></path>`,
      );
    }
    for (const f of lane.findings) {
      const cx = Number(x(f.x));
      parts.push(
        `<path d="M${cx - 5} ${y + LANE_H - 3}h10l-5 -8z" fill="${f.severity === 'error' ? '#c0362c' : '#b7791f'}" stroke="#fff"><title>${esc(f.title)}</title></path>`,
      );
    }
    parts.push('</g>');
  });
  const axisY = layout.lanes.length * LANE_H + 4;
  parts.push(`<path d="M${LABEL_W} ${axisY}h${TRACK_W}" stroke="#8a93a3"/>`);
  for (const t of layout.ticks) {
    parts.push(`<path d="M${x(t.x)} ${axisY}v5" stroke="#8a93a3"/>`);
    parts.push(`<text x="${x(t.x)}" y="${axisY + 18}" fill="#5b6575" text-anchor="middle">${esc(t.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

function findingHtml(f: Finding): string {
  const where = [formatUtc(f.time), f.group ? groupLabel(f.group) : f.vhid !== undefined ? `vhid ${f.vhid}` : ''].filter(Boolean);
  return (
    `<article class="finding ${f.severity}" data-kind="${esc(f.kind)}">` +
    `<div><span class="sev ${f.severity}">${esc(f.severity)}</span><strong>${esc(f.kind)}</strong> · ${esc(where.join(' · '))}</div>` +
    `<p>${esc(f.message)}</p><p class="fix"><strong>Fix:</strong> ${esc(f.fix)}</p>` +
    (f.frames.length ? `<p class="frames">Frames ${esc(f.frames.join(', '))}</p>` : '') +
    `</article>`
  );
}

function syncTable(flows: SyncFlow[]): string {
  const rows = flows.map(
    (f) =>
      `<tr data-sync="${esc(f.kind)}"><td>${f.kind === 'pfsync' ? `pfsync${f.versions.length ? ` v${f.versions.join(', v')}` : ''}` : 'conntrackd'}</td>` +
      `<td class="nowrap">${esc(f.src)} → ${esc(f.dst)}</td><td>${formatCount(f.packets)}</td>` +
      `<td>${f.kind === 'pfsync' ? `${formatCount(f.inserted)} / ${formatCount(f.updated)} / ${formatCount(f.deleted)}` : `${formatCount(f.messages)} messages`}</td>` +
      `<td>${f.kind === 'pfsync' ? `${f.bulkStarts} started, ${f.bulkEnds} ended` : '—'}</td></tr>`,
  );
  return `<table><thead><tr><th>Protocol</th><th>From → to</th><th>Packets</th><th>States inserted / updated / deleted</th><th>Bulk updates</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export interface ExportOptions {
  fileName: string;
  generatedAt: Date;
  /** Sync traffic summed per direction (the view has these already); derived from `report.sync` when absent. */
  syncFlows?: SyncFlow[];
}

export function exportReportHtml(report: AnalysisReport, { fileName, generatedAt, syncFlows = syncFlowsOf(report.sync) }: ExportOptions): string {
  const { capture, groups, findings } = report;
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const span = capture.firstTime !== null && capture.lastTime !== null ? capture.lastTime - capture.firstTime : null;
  const summary: [string, string][] = [
    ['File', fileName],
    ['Format', `${capture.format}, link type${capture.linkTypes.length === 1 ? '' : 's'} ${capture.linkTypes.join(', ') || 'none'}`],
    ['Packets', formatCount(capture.packets)],
    ['First packet', capture.firstTime !== null ? formatUtc(capture.firstTime) : '—'],
    ['Last packet', capture.lastTime !== null ? formatUtc(capture.lastTime) : '—'],
    ['Duration', span !== null ? formatDuration(span) : '—'],
    ['CARP/VRRP advertisements', formatCount(groups.reduce((n, g) => n + g.adverts, 0))],
    ['Sync packets (pfsync, conntrackd)', formatCount(syncPackets(syncFlows))],
    ['Groups', String(groups.length)],
    ['Findings', `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'note')}`],
  ];

  const groupRows = groups.map(
    (g) =>
      `<tr data-group="${esc(g.id)}"><td>${esc(groupLabel(g.id))}</td><td>${formatCount(g.adverts)}</td>` +
      `<td>${esc([...new Set(g.masters.map((m) => m.src))].join(', '))}</td>` +
      `<td>${esc((g.sources ?? []).filter((src) => !g.masters.some((m) => m.src === src)).join(', ') || '—')}</td>` +
      `<td>${g.changes.filter((c) => c.cause !== 'first-seen').length}</td>` +
      `<td>${g.measuredIntervalSeconds !== null ? formatDuration(g.measuredIntervalSeconds) : '—'}</td>` +
      `<td>${g.announcedIntervalSeconds !== null ? formatDuration(g.announcedIntervalSeconds) : '—'}</td>` +
      `<td>${g.hmacVerifiedWith ? esc(`${g.hmacVerifiedWith.addresses.join(', ')} (${g.hmacVerifiedWith.source})`) : '—'}</td></tr>`,
  );

  const changeRows = groups.flatMap((g) =>
    g.changes.map(
      (c) =>
        `<tr><td class="nowrap">${esc(groupLabel(g.id))}</td><td class="nowrap">${esc(formatUtc(c.time))}</td><td>${c.frame}</td>` +
        `<td class="nowrap">${esc(c.from ?? '—')} → ${esc(c.to)}</td><td>${esc(causeLabel(c.cause))}</td><td>${esc(c.explanation)}` +
        (c.gapSeconds !== undefined
          ? ` (gap ${esc(formatDuration(c.gapSeconds))}${c.boundSeconds !== undefined ? `, bound ${esc(formatDuration(c.boundSeconds))}` : ''})`
          : '') +
        `</td></tr>`,
    ),
  );

  const layout = layoutTimeline(report);
  const legend = layout.legend
    .map((m) => `<li><svg class="swatch" width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill="${m.colour}"/></svg>${esc(m.address)}</li>`)
    .join('');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CarpDeck report: ${esc(fileName)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>CarpDeck diagnostics report</h1>
<p class="meta">${esc(fileName)} · generated ${esc(formatUtc(generatedAt.getTime() / 1000))}</p>
<h2>Summary</h2>
<dl>${summary.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
<h2>Findings</h2>
${findings.length ? findings.map(findingHtml).join('\n') : '<p class="empty">No problems found.</p>'}
<h2>Master timeline</h2>
${groups.length ? `${timelineSvg(layout)}<ul class="legend">${legend}</ul>` : '<p class="empty">No CARP or VRRP advertisements in this capture.</p>'}
<h2>Groups</h2>
${groups.length ? `<table><thead><tr><th>Group</th><th>Adverts</th><th>Masters</th><th>Also heard</th><th>Changes</th><th>Measured interval</th><th>Announced interval</th><th>HMAC verified with</th></tr></thead><tbody>${groupRows.join('')}</tbody></table>` : '<p class="empty">None.</p>'}
${syncFlows.length ? `<h2>State synchronisation</h2>\n${syncTable(syncFlows)}\n` : ''}<h2>Master changes</h2>
${changeRows.length ? `<table><thead><tr><th>Group</th><th>Time</th><th>Frame</th><th>Master</th><th>Cause</th><th>Explanation</th></tr></thead><tbody>${changeRows.join('')}</tbody></table>` : '<p class="empty">None.</p>'}
<footer>Made offline by CarpDeck from the capture file; nothing was uploaded.</footer>
</main>
</body>
</html>
`;
}
