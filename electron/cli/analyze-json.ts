// `--json` output written while the capture streams: advertisement rows go out as they come (a capture of a
// million packets never sits in memory as one string), sync rows are kept as JSON text until the end, and the
// object closes with sync, groups, findings and the capture summary.
import type { AdvertRow, AnalysisReport, SyncRow } from '../../shared/analysis/types.js';

const BLOCK = 256 * 1024;

export class JsonReportWriter {
  /** Rows not yet written, encoded straight into a block (cheaper than joining strings and encoding them again). */
  private block = Buffer.allocUnsafe(BLOCK);
  private used = 0;
  private started = false;
  private readonly sync: string[] = [];
  private blocked: Promise<void> | null = null;

  constructor(private readonly out: NodeJS.WritableStream) {}

  advert = (row: AdvertRow): void => {
    this.append(this.started ? ',' : '{"adverts":[');
    this.started = true;
    this.append(advertJson(row));
  };

  syncRow = (row: SyncRow): void => {
    this.sync.push(JSON.stringify(row));
  };

  /** A promise while the output is congested (the caller then stops reading), otherwise undefined. */
  congestion = (): Promise<void> | undefined => this.blocked ?? undefined;

  end(report: AnalysisReport): void {
    if (!this.started) this.append('{"adverts":[');
    this.flush();
    this.out.write(`],"sync":[${this.sync.join(',')}],"groups":${JSON.stringify(report.groups)},"findings":${JSON.stringify(report.findings)},"capture":${JSON.stringify(report.capture)}}\n`);
  }

  private append(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (this.used + 3 * text.length > BLOCK) this.flush();
    if (3 * text.length > BLOCK) {
      this.out.write(text);
      return;
    }
    this.used += this.block.write(text, this.used);
  }

  private flush(): void {
    if (this.used === 0) return;
    const ok = this.out.write(this.block.subarray(0, this.used));
    this.block = Buffer.allocUnsafe(BLOCK);
    this.used = 0;
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

/** A JSON string; addresses never need escaping, so the common case skips JSON.stringify. */
function str(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return JSON.stringify(s);
  }
  return `"${s}"`;
}

/**
 * JSON.stringify(row) for an advertisement row, written out by hand: the rows are most of the output and this is
 * several times faster. Field order and number formatting are the same as JSON.stringify's.
 */
export function advertJson(r: AdvertRow): string {
  let s = `{"frame":${r.frame},"time":${r.time},"kind":"${r.kind}","src":${str(r.src)},"srcMac":${r.srcMac === null ? 'null' : str(r.srcMac)},"dst":${str(r.dst)},"ttl":${r.ttl},"vhid":${r.vhid}`;
  if (r.group !== undefined) s += `,"group":${str(r.group)}`;
  s += `,"checksumOk":${r.checksumOk}`;
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
