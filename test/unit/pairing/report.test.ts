import { describe, expect, it } from 'vitest';
import { CommissioningReportSchema, type PairStep } from '../../../shared/pairing/schema.js';
import { buildReport } from '../../../electron/core/pairing/report.js';
import { escapeHtml, renderReportHtml } from '../../../electron/core/pairing/report-html.js';
import { proposePlan } from '../../../electron/core/pairing/plan.js';
import { preflightReport } from './fixtures.js';

const EVIL = `<script>alert("x")</script><img src=http://evil.example/x.png>`;

async function sample() {
  const report = preflightReport({ hostname: `fw1${EVIL}` }, {}, [{ id: 'nat', node: 'primary', title: `NAT & "quotes"`, status: 'warn', detail: `rule <${EVIL}>`, fix: "use 'manual' NAT", overridable: false }]);
  const { plan } = await proposePlan(report, { password: (() => { let i = 0; return () => ['Secret1Password17', 'OtherSecretPw0123'][i++]; })() });
  const steps: PairStep[] = [{ seq: 0, time: 1_764_000_001_000, phase: 'activate', node: 'primary', status: 'failed', message: 'carpd said: password Secret1Password17 rejected' }];
  return buildReport({
    created: 1_764_000_100_000,
    carpdeckVersion: '0.1.0-test',
    plan,
    preflight: report,
    verify: { ok: true, checks: [], masters: [{ vhid: plan.vips[0].vhid, master: 'primary' }] },
    drill: { ok: true, started: 1, finished: 2, phases: [{ name: 'maintenance-enter', interruptionMs: 74, probesLost: 0, flowSurvived: true, newMaster: 'secondary' }] },
    steps,
    events: [{ time: 1_764_000_002_000, node: 'secondary', text: `state vhid 1 BACKUP -> MASTER: ${EVIL}` }],
  });
}

describe('commissioning report', () => {
  it('is valid against CommissioningReportSchema and shows each password only as "set (N bytes)", even inside messages', async () => {
    const r = await sample();
    expect(CommissioningReportSchema.safeParse(r).success).toBe(true);
    expect(r.plan.vips.map((v) => v.password)).toEqual(['set (17 bytes)', 'set (17 bytes)']);
    const json = JSON.stringify(r);
    expect(json).not.toContain('Secret1Password17');
    expect(json).not.toContain('OtherSecretPw0123');
    expect(r.steps[0].message).toBe('carpd said: password [password] rejected');
  });

  it('renders HTML with every value escaped, no password, and nothing to fetch or run (opens offline)', async () => {
    const html = renderReportHtml(await sample());
    expect(html).not.toContain('Secret1Password17');
    expect(html).toContain('set (17 bytes)');
    // every tag is plain markup: no script, image, link, frame or object, and no attribute that could fetch or run
    const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)];
    expect(new Set(tags.map((t) => t[1].toLowerCase()))).toEqual(new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'p', 'div', 'span', 'b', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td']));
    const attributes = new Set(tags.flatMap((t) => [...t[2].matchAll(/\s([a-zA-Z-]+)=/g)].map((m) => m[1].toLowerCase())));
    expect([...attributes].sort()).toEqual(['charset', 'class', 'content', 'lang', 'name']);
    const css = /<style>([^<]*)<\/style>/.exec(html)![1];
    expect(css).not.toMatch(/url\(|@import|expression\(/i);
    expect(html).toContain(escapeHtml(`fw1${EVIL}`));
    expect(html).toContain('NAT &amp; &quot;quotes&quot;');
    expect(html).toContain('use &#39;manual&#39; NAT');
    expect(html).toContain('74 ms');
    expect(html).toContain('Apply <span class="b skip">not run</span>');
    const rolledBack = { ...(await sample()), steps: [{ seq: 0, time: 1, phase: 'rollback' as const, node: 'primary' as const, status: 'done' as const, message: 'root@fw1 is blank again' }] };
    expect(renderReportHtml(rolledBack)).toContain('Apply <span class="b bad">ROLLED BACK</span>');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/<style>[^<]+<\/style>/);
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
