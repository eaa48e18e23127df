import { useMemo, useState } from 'react';
import type { AnalysisReport } from '../../../shared/analysis/types.js';
import type { PacketColumns } from './packet-columns.js';
import { layoutTimeline } from './timeline-layout.js';
import { CaptureSummaryView } from './CaptureSummaryView.js';
import { FindingsList } from './FindingsList.js';
import { Timeline } from './Timeline.js';
import { PacketTable } from './PacketTable.js';
import { captureErrorTitle } from './capture-errors.js';
import { syncPackets, type SyncFlow } from './sync-flows.js';
import { SyncFlowsView } from './SyncFlowsView.js';
import { formatCount, sentence } from './format.js';

interface Props {
  report: AnalysisReport;
  columns: PacketColumns;
  syncFlows: SyncFlow[];
}

/** The analysed capture: summary, findings, timeline and the advertisements. */
export function ReportView({ report, columns, syncFlows }: Props) {
  const layout = useMemo(() => layoutTimeline(report), [report]);
  const [focus, setFocus] = useState<{ frame: number; seq: number } | null>(null);
  const [groupFocus, setGroupFocus] = useState<{ group: string; seq: number } | null>(null);
  const showPackets = () => document.getElementById('packets')?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
  const jump = (frame: number) => {
    setFocus((f) => ({ frame, seq: (f?.seq ?? 0) + 1 }));
    showPackets();
  };
  const selectGroup = (groupId: string) => {
    setGroupFocus((g) => ({ group: groupId, seq: (g?.seq ?? 0) + 1 }));
    showPackets();
  };
  return (
    <div className="report">
      {report.capture.error && (
        <div className="panel warn-panel" role="alert">
          <h2>{captureErrorTitle(report.capture.error.code)}</h2>
          <p>
            {sentence(report.capture.error.message)} This report covers the {formatCount(report.capture.packets)} packets read
            before it.
          </p>
        </div>
      )}
      <CaptureSummaryView report={report} advertCount={columns.count} syncPackets={syncPackets(syncFlows)} />
      <section className="panel" aria-labelledby="findings-title">
        <h2 id="findings-title">Findings</h2>
        <FindingsList findings={report.findings} onJumpToFrame={jump} />
      </section>
      <section className="panel" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Master timeline</h2>
        <Timeline layout={layout} onJumpToFrame={jump} onSelectGroup={selectGroup} />
      </section>
      {syncFlows.length > 0 && (
        <section className="panel" aria-labelledby="sync-title">
          <h2 id="sync-title">State synchronisation</h2>
          <SyncFlowsView flows={syncFlows} />
        </section>
      )}
      <section className="panel" id="packets" aria-labelledby="packets-title">
        <h2 id="packets-title">Advertisements</h2>
        <PacketTable columns={columns} startTime={layout.start} focus={focus} groupFocus={groupFocus} />
      </section>
    </div>
  );
}
