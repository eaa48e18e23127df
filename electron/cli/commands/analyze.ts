// `carpdeck analyze FILE [--json] [--secret ...]`: the offline diagnosis of a capture.
// A damaged or truncated file still gets the report of what could be read (stdout), then one error line (stderr)
// and exit status 1, so a script never mistakes a partial report for a complete one.
import { analyzeUsage, parseAnalyzeArgs } from '../analyze-args.js';
import { analyzeFile } from '../analyze-input.js';
import { JsonReportWriter } from '../analyze-json.js';
import { formatReport } from '../analyze-text.js';
import { CliError, type Command } from '../command.js';

export const analyze: Command = async (argv) => {
  const args = parseAnalyzeArgs(argv);
  if (args.help) {
    process.stdout.write(analyzeUsage + '\n');
    return 0;
  }
  if (args.file === undefined) throw new CliError('analyze: which capture? usage: carpdeck analyze FILE [--json] [--secret VHID:PASSWORD[@VIP[,VIP...]]]');
  const out = process.stdout;
  out.on('error', () => {
    // A closed pipe (| head) ends the output; the exit status still reflects the analysis.
  });
  const json = args.json ? new JsonReportWriter(out) : null;
  const { report, error } = await analyzeFile(
    args.file,
    json ? { secrets: args.secrets, keepRows: false, onAdvert: json.advert, onSync: json.syncRow } : { secrets: args.secrets, keepRows: false },
    json ? json.congestion : () => undefined,
  );
  if (report) {
    if (json) json.end(report);
    else out.write(formatReport(args.file, report, Boolean(out.isTTY) && !process.env.NO_COLOR));
  }
  if (error) {
    const partial = report ? ` (the report above covers the ${report.capture.packets} packet${report.capture.packets === 1 ? '' : 's'} before it)` : '';
    process.stderr.write(`carpdeck: analyze: ${args.file}: ${error.message}${partial}\n`);
    return 1;
  }
  return 0;
};
