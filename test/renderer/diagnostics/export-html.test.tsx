import { describe, expect, it } from 'vitest';
import { exportReportHtml } from '../../../renderer/src/diagnostics/export-html.js';
import { reportFileName } from '../../../renderer/src/diagnostics/download.js';
import { REPORT } from '../fixtures/report.js';
import type { AnalysisReport } from '../../../shared/analysis/types.js';

const html = exportReportHtml(REPORT, { fileName: 'site.pcapng', generatedAt: new Date(Date.UTC(2026, 10, 26, 2, 0, 0)) });
const doc = new DOMParser().parseFromString(html, 'text/html');

describe('HTML report export', () => {
  it('is a standalone document: inline CSS, no scripts, no external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(doc.querySelectorAll('style')).toHaveLength(1);
    expect(doc.querySelectorAll('script, link, img, iframe')).toHaveLength(0);
    expect(html).not.toMatch(/\son\w+=|javascript:|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('has the summary, one timeline lane and one table row per group', () => {
    expect(doc.querySelector('title')!.textContent).toBe('CarpDeck report: site.pcapng');
    const summary = doc.querySelector('dl')!.textContent!;
    expect(summary).toContain(`Packets${REPORT.capture.packets}`);
    expect(summary).toContain('Duration1 min 00 s');
    expect(doc.querySelector('.meta')!.textContent).toContain('generated 2026-11-26 02:00:00.000 UTC');
    const lanes = [...doc.querySelectorAll('svg g.lane')].map((g) => g.getAttribute('data-group'));
    expect(lanes).toEqual(['carp:1', 'carp:2', 'vrrp:42']);
    expect([...doc.querySelectorAll('tr[data-group]')].map((r) => r.getAttribute('data-group'))).toEqual(lanes);
    expect(doc.querySelector('svg g.lane[data-group="carp:1"] title')!.textContent).toContain('10.0.1.1 (00:00:5e:00:01:01) master from');
    expect(doc.querySelector('tr[data-group="carp:2"] td:nth-child(4)')!.textContent).toBe('10.0.2.3');
  });

  it('lists every finding with severity, message and fix', () => {
    const findings = [...doc.querySelectorAll('article.finding')];
    expect(findings.map((f) => f.getAttribute('data-kind'))).toEqual(['split-brain', 'bad-ttl', 'slow-takeover']);
    expect(findings[0].className).toContain('error');
    expect(findings[0].textContent).toContain('10.0.2.1 and 10.0.2.2 both advertised as master of vhid 2');
    expect(findings[0].textContent).toContain('Fix: The nodes do not hear each other');
  });

  it('escapes text from the capture so it cannot inject markup', () => {
    const hostile: AnalysisReport = {
      ...REPORT,
      findings: [{ ...REPORT.findings[0], message: '<img src=x onerror=alert(1)>' }],
    };
    const out = exportReportHtml(hostile, { fileName: '"><script>x</script>.pcap', generatedAt: new Date(0) });
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('says so when the capture has no adverts and no findings', () => {
    const empty: AnalysisReport = { ...REPORT, adverts: [], groups: [], findings: [] };
    const out = exportReportHtml(empty, { fileName: 'x.pcap', generatedAt: new Date(0) });
    expect(out).toContain('No CARP or VRRP advertisements in this capture.');
    expect(out).toContain('No problems found.');
  });

  it('names the download after the capture', () => {
    expect(reportFileName('site.pcapng')).toBe('site-carpdeck-report.html');
    expect(reportFileName('dump.PCAP')).toBe('dump-carpdeck-report.html');
  });
});
