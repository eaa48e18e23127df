import type { TimelineLayout } from './timeline-layout.js';
import { formatUtc } from './format.js';

interface Props {
  layout: TimelineLayout;
  onJumpToFrame(frame: number): void;
  /** Show this group's advertisements in the packet table. */
  onSelectGroup?(groupId: string): void;
}

const pct = (f: number) => `${(f * 100).toFixed(3)}%`;
/** Past this many masters the legend folds away; the bars carry their master's address anyway. */
const LEGEND_OPEN_MAX = 16;

/** One lane per group; each master period is a bar in the master's colour; master changes are marked. */
export function Timeline({ layout, onJumpToFrame, onSelectGroup }: Props) {
  if (layout.lanes.length === 0) {
    return (
      <p className="empty-note">
        No CARP or VRRP advertisements in this capture. If the capture was taken on a firewall, check that it
        covered the HA interface and that IGMP snooping is not dropping 224.0.0.18.
      </p>
    );
  }
  const legendList = (
    <ul className="legend" aria-label="Master colours">
      {layout.legend.map((m) => (
        <li key={m.address}>
          <span className="swatch" style={{ background: m.colour }} aria-hidden="true" />
          {m.address}
        </li>
      ))}
      <li className="legend-note">
        <span className="change-key" aria-hidden="true" /> master change
      </li>
      <li className="legend-note">
        <span className="problem-key" aria-hidden="true" /> finding (hover for details)
      </li>
    </ul>
  );
  return (
    <div className="timeline">
      {layout.legend.length > LEGEND_OPEN_MAX ? (
        <details className="legend-details">
          <summary>Colour legend: {layout.legend.length} masters (each bar is labelled with its master)</summary>
          {legendList}
        </details>
      ) : (
        legendList
      )}
      <div className={layout.lanes.length > 14 ? 'lanes scrolling' : 'lanes'}>
        {layout.lanes.map((lane) => (
          <div className="lane" key={lane.id} data-group={lane.id} role="group" aria-label={`${lane.label} timeline`}>
            <div className="lane-label">
              {onSelectGroup ? (
                <button type="button" className="lane-name link-button" title="Show this group's advertisements" onClick={() => onSelectGroup(lane.id)}>
                  {lane.label}
                </button>
              ) : (
                <span className="lane-name">{lane.label}</span>
              )}
              <span className="lane-meta">
                {lane.adverts.toLocaleString('en-US')} adverts · {lane.changes.length} change{lane.changes.length === 1 ? '' : 's'}
              </span>
              {lane.alsoHeard.length > 0 && (
                <span className="lane-meta also-heard" title="Advertised in this group without ever being its master">
                  also heard: {lane.alsoHeard.join(', ')}
                </span>
              )}
            </div>
            <div className="lane-track">
              {lane.segments.map((s, i) => (
                <div
                  key={i}
                  className={`segment ink-${s.ink}`}
                  data-master={s.master}
                  title={s.title}
                  style={{ left: pct(s.x0), width: pct(s.x1 - s.x0), background: s.colour }}
                >
                  {s.master}
                </div>
              ))}
              {lane.findings.map((f, i) => (
                <button
                  key={`f${i}`}
                  type="button"
                  className={`finding-mark ${f.severity}`}
                  title={f.title}
                  aria-label={f.title}
                  style={{ left: pct(f.x) }}
                  onClick={() => f.frames.length && onJumpToFrame(f.frames[0])}
                />
              ))}
              {lane.changes.map((c, i) => (
                <button
                  key={`c${i}`}
                  type="button"
                  className={`change-mark ${c.cause}`}
                  data-cause={c.cause}
                  title={c.title}
                  aria-label={c.title}
                  style={{ left: pct(c.x) }}
                  onClick={() => onJumpToFrame(c.frame)}
                />
              ))}
            </div>
          </div>
        ))}
        <div className="axis" aria-hidden="true">
          <div className="lane-label">
            <span className="lane-meta">{formatUtc(layout.start)}</span>
          </div>
          <div className="axis-track">
            {layout.ticks.map((t) => (
              <span key={t.x} className="tick" style={{ left: pct(t.x) }}>
                {t.label}
              </span>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
