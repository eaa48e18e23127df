// `carpdeck report`: renders a saved commissioning report (the JSON `carpdeck pair --report` wrote) as the
// self-contained HTML page again, e.g. after the HTML was lost or to print it elsewhere. Offline; no node is asked.
import { writeFileSync } from 'node:fs';
import { readReport, reportPaths } from '../../core/pairing/report-files.js';
import { renderReportHtml } from '../../core/pairing/report-html.js';
import { knownErrorMessage } from '../../core/ssh/errors.js';
import { CliError, type Command } from '../command.js';

export const reportUsage = `usage: carpdeck report REPORT.json [--html OUT.html | --stdout]

Checks that REPORT.json is a commissioning report (as "carpdeck pair --report" writes it) and renders it as one
self-contained HTML page (no scripts, no external files: it opens offline). Writes REPORT.html next to it unless
--html names another file, or prints it with --stdout.

exit status: 0 written; 1 not a report or not writable; 2 bad arguments.`;

export const report: Command = async (argv) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${reportUsage}\n`);
    return 0;
  }
  let input: string | undefined;
  let out: string | undefined;
  let toStdout = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--html') {
      out = argv[++i];
      if (!out) throw new CliError(`report: --html needs a file name\n\n${reportUsage}`);
    } else if (a === '--stdout') toStdout = true;
    else if (a.startsWith('-')) throw new CliError(`report: unknown option "${a}"\n\n${reportUsage}`);
    else if (input === undefined) input = a;
    else throw new CliError(`report: give one report file (got "${input}" and "${a}")\n\n${reportUsage}`);
  }
  if (!input) throw new CliError(`report: name the JSON report to render\n\n${reportUsage}`);
  try {
    const html = renderReportHtml(readReport(input));
    if (toStdout) {
      process.stdout.write(html);
      return 0;
    }
    const target = out ?? reportPaths(input).html;
    try {
      writeFileSync(target, html);
    } catch (e) {
      throw new CliError(`report: cannot write ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 1);
    }
    process.stdout.write(`${target}\n`);
    return 0;
  } catch (e) {
    const message = knownErrorMessage(e);
    if (message !== undefined) throw new CliError(`report: ${message}`, 1);
    throw e;
  }
};
