import type { TimelineLayout } from './timeline-layout.js';
import { formatUtc } from './format.js';

interface Props {
  layout: TimelineLayout;
  onJumpToFrame(frame: number): void;
}

const pct = (f: number) => `${(f * 100).toFixed(3)}%`;

/** One lane per group; each master period is a bar in the master's colour; master changes are marked. */
export function Timeline({ layout, onJumpToFrame }: Props) {
  if (layout.lanes.length === 0) {
    return (
      <p className="empty-note">
        No CARP or VRRP advertisements in this capture. If the capture was taken on a firewall, check that it
        covered the HA interface and that IGMP snooping is not dropping 224.0.0.18.
      </p>
    );
  }
  return (
    <div className="timeline">
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
      </ul>
      <div className="lanes">
        {layout.lanes.map((lane) => (
          <div className="lane" key={lane.id} data-group={lane.id} role="group" aria-label={`${lane.label} timeline`}>
            <div className="lane-label">
              <span className="lane-name">{lane.label}</span>
              <span className="lane-meta">
                {lane.adverts.toLocaleString('en-US')} adverts · {lane.changes.length} change{lane.changes.length === 1 ? '' : 's'}
              </span>
            </div>
            <div className="lane-track">
              {lane.segments.map((s, i) => (
                <div
                  key={i}
                  className="segment"
                  data-master={s.master}
                  title={s.title}
                  style={{ left: pct(s.x0), width: pct(s.x1 - s.x0), background: s.colour }}
                />
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
