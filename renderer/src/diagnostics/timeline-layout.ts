import type { AnalysisReport, Finding, GroupSummary, MasterChange } from '../../../shared/analysis/types.js';
import { assignMasterColours, type MasterColour } from './palette.js';
import { causeLabel, formatDuration, formatUtc, groupLabel } from './format.js';
import { thinChanges, thinSegments } from './timeline-thinning.js';

/** Positions are fractions (0..1) of the capture's time span, so the view and the export can scale them freely. */
export interface LaneSegment {
  x0: number;
  x1: number;
  master: string;
  colour: string;
  ink: 'dark' | 'light';
  adverts: number;
  title: string;
}

export interface LaneChange {
  x: number;
  frame: number;
  cause: MasterChange['cause'];
  title: string;
}

export interface LaneFinding {
  x: number;
  severity: Finding['severity'];
  frames: number[];
  title: string;
}

export interface Lane {
  id: string;
  label: string;
  adverts: number;
  /** Sources heard advertising in the group that were never its master (a split brain's other side, a backup contending). */
  alsoHeard: string[];
  changes: LaneChange[];
  segments: LaneSegment[];
  findings: LaneFinding[];
}

export interface AxisTick {
  x: number;
  label: string;
}

export interface TimelineLayout {
  start: number;
  end: number;
  lanes: Lane[];
  legend: MasterColour[];
  ticks: AxisTick[];
}

const TICK_STEPS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

function tickLabel(offset: number, step: number): string {
  if (step < 1) return `+${offset.toFixed(step < 0.01 ? 3 : step < 0.1 ? 2 : 1)} s`;
  const h = Math.floor(offset / 3600);
  const m = Math.floor((offset % 3600) / 60);
  const s = Math.round(offset % 60);
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', s || (!h && !m) ? `${s} s` : ''].filter(Boolean);
  return `+${parts.join(' ')}`;
}

/** Evenly spaced, round-numbered ticks (at most `maxTicks`) over a span of seconds. */
export function axisTicks(span: number, maxTicks = 8): AxisTick[] {
  if (!(span > 0)) return [{ x: 0, label: '+0 s' }];
  const step = TICK_STEPS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / 86400) * 86400;
  const ticks: AxisTick[] = [];
  for (let t = 0; t <= span + step * 1e-9; t += step) ticks.push({ x: t / span, label: tickLabel(t, step) });
  return ticks;
}

function changeTitle(change: MasterChange): string {
  const parts = [
    `${formatUtc(change.time)} (frame ${change.frame})`,
    `${change.from ?? 'no master'} → ${change.to}: ${causeLabel(change.cause)}`,
    change.explanation,
  ];
  if (change.gapSeconds !== undefined) {
    const bound = change.boundSeconds !== undefined ? ` (protocol bound ${formatDuration(change.boundSeconds)})` : '';
    parts.push(`Takeover gap ${formatDuration(change.gapSeconds)}${bound}`);
  }
  return parts.join('\n');
}

/** Master addresses in order of first appearance across all groups, so colours are stable for a report. */
export function mastersInOrder(groups: GroupSummary[]): string[] {
  const firsts = groups.flatMap((g) => g.masters.map((m) => ({ src: m.src, from: m.from })));
  firsts.sort((a, b) => a.from - b.from);
  return [...new Set(firsts.map((m) => m.src))];
}

export function layoutTimeline(report: AnalysisReport): TimelineLayout {
  const { groups, capture } = report;
  const start = capture.firstTime ?? Math.min(...groups.map((g) => g.firstSeen));
  const lastSeen = capture.lastTime ?? Math.max(...groups.map((g) => g.lastSeen));
  const end = Number.isFinite(lastSeen) && lastSeen > start ? lastSeen : start + 1;
  const span = end - start;
  const pos = (t: number) => Math.min(1, Math.max(0, (t - start) / span));
  const colours = assignMasterColours(mastersInOrder(groups));
  const describe = (x0: number, x1: number) => `${formatUtc(start + x0 * span)} to ${formatUtc(start + x1 * span)}`;

  const lanes = groups.map((group): Lane => {
    const segments = group.masters.map((m): LaneSegment => {
      const c = colours.get(m.src)!;
      return {
        x0: pos(m.from),
        x1: pos(m.to),
        master: m.src,
        colour: c.colour,
        ink: c.ink,
        adverts: m.adverts,
        title: `${m.src}${m.srcMac ? ` (${m.srcMac})` : ''} master from ${formatUtc(m.from)} to ${formatUtc(m.to)}, ${m.adverts} advertisements`,
      };
    });
    const changes = group.changes
      .filter((c) => c.cause !== 'first-seen')
      .map((c): LaneChange => ({ x: pos(c.time), frame: c.frame, cause: c.cause, title: changeTitle(c) }));
    return {
      id: group.id,
      label: groupLabel(group.id),
      adverts: group.adverts,
      alsoHeard: (group.sources ?? []).filter((src) => !group.masters.some((m) => m.src === src)),
      segments: thinSegments(segments, describe),
      changes: thinChanges(changes, describe),
      findings: report.findings
        .filter((f) => f.group === group.id && f.severity !== 'info')
        .map((f) => ({ x: pos(f.time), severity: f.severity, frames: f.frames, title: `${formatUtc(f.time)}: ${f.message}` })),
    };
  });

  return { start, end, lanes, legend: [...colours.values()], ticks: axisTicks(span) };
}
