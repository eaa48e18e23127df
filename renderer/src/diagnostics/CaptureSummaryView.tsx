import type { AnalysisReport } from '../../../shared/analysis/types.js';
import { formatCount, formatDuration, formatUtc, groupLabel, plural } from './format.js';

interface Props {
  report: AnalysisReport;
  advertCount: number;
  syncPackets: number;
}

/** Key numbers of the capture, then one line per group. */
export function CaptureSummaryView({ report, advertCount, syncPackets }: Props) {
  const { capture, groups, findings } = report;
  const span = capture.firstTime !== null && capture.lastTime !== null ? capture.lastTime - capture.firstTime : null;
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const stats: [label: string, value: string, tone?: string, detail?: string][] = [
    ['Packets', formatCount(capture.packets)],
    ['Duration', span !== null ? formatDuration(span) : '—'],
    ['Advertisements', formatCount(advertCount)],
    ['Sync packets', formatCount(syncPackets)],
    ['Groups', String(groups.length)],
    ['Findings', findings.length ? plural(errors, 'error') : 'None', errors ? 'bad' : warnings ? 'warn' : 'good', `${plural(warnings, 'warning')} · ${plural(findings.length - errors - warnings, 'note')}`],
  ];
  return (
    <section className="summary" aria-label="Capture summary">
      <dl className="stats">
        {stats.map(([label, value, tone, detail]) => (
          <div key={label} className={tone ? `stat ${tone}` : 'stat'}>
            <dt>{label}</dt>
            <dd>
              {value}
              {detail && <span className="stat-detail">{detail}</span>}
            </dd>
          </div>
        ))}
      </dl>
      <p className="capture-meta">
        {capture.format} · link type{capture.linkTypes.length === 1 ? '' : 's'} {capture.linkTypes.join(', ') || 'none'}
        {capture.firstTime !== null && ` · ${formatUtc(capture.firstTime)}`}
        {capture.lastTime !== null && ` → ${formatUtc(capture.lastTime)}`}
      </p>
      {groups.length > 0 && (
        <div className="groups-scroll">
          <table className="groups-table">
            <thead>
              <tr>
                <th>Group</th>
                <th>Adverts</th>
                <th>Masters</th>
                <th>Changes</th>
                <th>Interval (measured / announced)</th>
                <th>HMAC verified with</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.id} data-group={g.id}>
                  <td>{groupLabel(g.id)}</td>
                  <td>{formatCount(g.adverts)}</td>
                  <td>{[...new Set(g.masters.map((m) => m.src))].join(', ')}</td>
                  <td>{g.changes.filter((c) => c.cause !== 'first-seen').length}</td>
                  <td>
                    {g.measuredIntervalSeconds !== null ? formatDuration(g.measuredIntervalSeconds) : '—'} /{' '}
                    {g.announcedIntervalSeconds !== null ? formatDuration(g.announcedIntervalSeconds) : '—'}
                  </td>
                  <td>{g.hmacVerifiedWith ? `${g.hmacVerifiedWith.addresses.join(', ')} (${g.hmacVerifiedWith.source === 'given' ? 'given' : 'from capture'})` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
