// `--json` output written while the capture streams: advertisement rows go out as they come (a capture of a
// million packets never sits in memory as one string), sync rows are kept as JSON text until the end, and the
// object closes with sync, groups, findings and the capture summary.
import type { AdvertRow, AnalysisReport, SyncRow } from '../../shared/analysis/types.js';

const FLUSH_AT = 256 * 1024;

export class JsonReportWriter {
  /** Rows not yet written; joined once per flush (appending to one string builds ropes that are slow to flatten). */
  private pending: string[] = [];
  private pendingLength = 0;
  private started = false;
  private readonly sync: string[] = [];
  private blocked: Promise<void> | null = null;

  constructor(private readonly out: NodeJS.WritableStream) {}

  advert = (row: AdvertRow): void => {
    const text = advertJson(row);
    this.pending.push(this.started ? ',' + text : '{"adverts":[' + text);
    this.started = true;
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_AT) this.flush();
  };

  syncRow = (row: SyncRow): void => {
    this.sync.push(JSON.stringify(row));
  };

  /** A promise while the output is congested (the caller then stops reading), otherwise undefined. */
  congestion = (): Promise<void> | undefined => this.blocked ?? undefined;

  end(report: AnalysisReport): void {
    if (!this.started) this.pending.push('{"adverts":[');
    this.pending.push(`],"sync":[${this.sync.join(',')}],"groups":${JSON.stringify(report.groups)},"findings":${JSON.stringify(report.findings)},"capture":${JSON.stringify(report.capture)}}\n`);
    this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const ok = this.out.write(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
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

const str = (s: string): string => (SAFE.test(s) ? `"${s}"` : JSON.stringify(s));
const SAFE = /^[0-9a-zA-Z.:%_-]*$/;

/**
 * JSON.stringify(row) for an advertisement row, written out by hand: the rows are most of the output and this is
 * several times faster. Field order and number formatting are the same as JSON.stringify's.
 */
export function advertJson(r: AdvertRow): string {
  let s = `{"frame":${r.frame},"time":${r.time},"kind":"${r.kind}","src":${str(r.src)},"srcMac":${r.srcMac === null ? 'null' : str(r.srcMac)},"dst":${str(r.dst)},"ttl":${r.ttl},"vhid":${r.vhid},"checksumOk":${r.checksumOk}`;
  if (r.advbase !== undefined) s += `,"advbase":${r.advbase}`;
  if (r.advskew !== undefined) s += `,"advskew":${r.advskew}`;
  if (r.demote !== undefined) s += `,"demote":${r.demote}`;
  if (r.counter !== undefined) s += `,"counter":"${r.counter}"`;
  if (r.hmac !== undefined) s += `,"hmac":"${r.hmac}"`;
  if (r.priority !== undefined) s += `,"priority":${r.priority}`;
  if (r.intervalCs !== undefined) s += `,"intervalCs":${r.intervalCs}`;
  if (r.addresses !== undefined) s += `,"addresses":[${r.addresses.map(str).join(',')}]`;
  return s + '}';
}
