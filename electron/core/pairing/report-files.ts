// Saving the commissioning report: FILE.json (the data, CommissioningReportSchema) and FILE.html (the page), from
// one base name; reading a saved JSON report back with a clear error when it is not one.
import { readFileSync, writeFileSync } from 'node:fs';
import { CommissioningReportSchema, type CommissioningReport } from '../../../shared/pairing/schema.js';
import { renderReportHtml } from './report-html.js';

export class ReportFileError extends Error {
  readonly code = 'bad-report';
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(message);
    this.name = 'ReportFileError';
  }
}

/** `site.json`, `site.html` or `site` all mean the pair site.json + site.html. */
export function reportPaths(file: string): { json: string; html: string } {
  const base = file.replace(/\.(json|html?)$/i, '');
  return { json: `${base}.json`, html: `${base}.html` };
}

export function writeReport(report: CommissioningReport, file: string): { json: string; html: string } {
  const paths = reportPaths(file);
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o644 });
  writeFileSync(paths.html, renderReportHtml(report), { mode: 0o644 });
  return paths;
}

export function readReport(file: string): CommissioningReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ReportFileError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ReportFileError(`${file} is not JSON (${(e as Error).message}); give the .json file "carpdeck pair --report" wrote`, file);
  }
  const parsed = CommissioningReportSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ReportFileError(`${file} is not a CarpDeck commissioning report: ${first.path.join('.') || '(top level)'}: ${first.message}`, `${file}: ${first.path.join('.')}`);
  }
  return parsed.data;
}
