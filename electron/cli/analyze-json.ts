// `--json` output written while the capture streams: advertisement rows go out as they come (a capture of a
// million packets never sits in memory as one string), sync rows are kept as JSON text until the end, and the
// object closes with sync, groups, findings and the capture summary.
import type { AdvertRow, AnalysisReport, SyncRow } from '../../shared/analysis/types.js';

const FLUSH_AT = 256 * 1024;

export class JsonReportWriter {
  private pending = '';
  private started = false;
  private readonly sync: string[] = [];
  private blocked: Promise<void> | null = null;

  constructor(private readonly out: NodeJS.WritableStream) {}

  advert = (row: AdvertRow): void => {
    this.pending += (this.started ? ',' : '{"adverts":[') + JSON.stringify(row);
    this.started = true;
    if (this.pending.length >= FLUSH_AT) this.flush();
  };

  syncRow = (row: SyncRow): void => {
    this.sync.push(JSON.stringify(row));
  };

  /** A promise while the output is congested (the caller then stops reading), otherwise undefined. */
  congestion = (): Promise<void> | undefined => this.blocked ?? undefined;

  end(report: AnalysisReport): void {
    if (!this.started) this.pending += '{"adverts":[';
    this.pending += `],"sync":[${this.sync.join(',')}],"groups":${JSON.stringify(report.groups)},"findings":${JSON.stringify(report.findings)},"capture":${JSON.stringify(report.capture)}}\n`;
    this.flush();
  }

  private flush(): void {
    if (this.pending === '') return;
    const ok = this.out.write(this.pending);
    this.pending = '';
    if (!ok && !this.blocked) {
      this.blocked = new Promise((resolve) => {
        const done = () => {
          this.out.off('drain', done);
          this.out.off('close', done);
          this.out.off('error', done);
          this.blocked = null;
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('close', done);
        this.out.on('error', done);
      });
    }
  }
}
