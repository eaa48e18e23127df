import { describe, expect, it } from 'vitest';
import { analyseChunks } from '../../../renderer/src/diagnostics/analyse-capture.js';
import { failoverCapture, PASSWORD, VIP } from '../../e2e/fixtures/failover-capture.js';
import { writePcap } from '../../../shared/capture/pcap-writer.js';
import { exportReportHtml } from '../../../renderer/src/diagnostics/export-html.js';

async function* chunks(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('capture analysis in the worker', () => {
  const { bytes, adverts } = failoverCapture();

  it('streams a capture through reader, decoder and analyser into a report and typed columns', async () => {
    const progress: number[] = [];
    const out = await analyseChunks(chunks(bytes, 1000), { secrets: [], onProgress: (b) => progress.push(b) });
    if (!out.ok) throw new Error(out.message);
    expect(out.columns.count).toBe(adverts);
    expect(out.report.adverts).toEqual([]);
    expect(out.report.capture.format).toBe('pcap');
    expect(out.report.groups.map((g) => g.id)).toEqual(['carp:1', 'carp:2']);
    const takeover = out.report.groups[0].changes.find((c) => c.from === '10.0.1.1');
    expect(takeover?.to).toBe('10.0.1.2');
    expect(takeover?.cause).toBe('takeover-after-silence');
    expect(out.report.findings.some((f) => f.kind === 'split-brain' && f.group === 'carp:2')).toBe(true);
    expect(out.syncFlows).toEqual([
      expect.objectContaining({ kind: 'pfsync', src: '10.0.1.2', dst: '224.0.0.240', packets: 3, versions: [6], inserted: 3, updated: 9, deleted: 0 }),
    ]);
    expect(progress.at(-1)).toBe(bytes.length);
    expect(progress.length).toBe(Math.ceil(bytes.length / 1000));
  });

  it('verifies CARP HMACs with a given password and VIP', async () => {
    const out = await analyseChunks(chunks(bytes, 4096), { secrets: [{ vhid: 1, password: PASSWORD, vips: [VIP] }] });
    if (!out.ok) throw new Error(out.message);
    const vhid1 = [...Array(out.columns.count).keys()].filter((r) => out.columns.vhid[r] === 1);
    expect(vhid1.every((r) => out.columns.flags[r] & 2)).toBe(true);
    expect(out.report.groups[0].hmacVerifiedWith?.addresses).toEqual([VIP]);
  });

  it('still reports on a file cut short, saying where it ends', async () => {
    const out = await analyseChunks(chunks(bytes.subarray(0, bytes.length - 30), 4096), { secrets: [] });
    if (!out.ok) throw new Error(out.message);
    expect(out.report.capture.error?.code).toBe('truncated');
    expect(out.columns.count).toBeGreaterThan(adverts - 3);
  });

  it('gives the reader error for a file that is not a capture, and for an empty file', async () => {
    const text = new TextEncoder().encode('PK\u0003\u0004 this is a zip archive, not a capture file at all');
    const bad = await analyseChunks(chunks(text, 4096), { secrets: [] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.code).toBe('not-a-capture');
      expect(bad.message.length).toBeGreaterThan(10);
    }
    const empty = await analyseChunks(chunks(new Uint8Array(0), 4096), { secrets: [] });
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.code).toBe('not-a-capture');
  });

  it('reports an empty but valid capture as having no packets', async () => {
    const out = await analyseChunks(chunks(writePcap({ linkType: 1 }, []), 4096), { secrets: [] });
    if (!out.ok) throw new Error(out.message);
    expect(out.report.capture.packets).toBe(0);
    expect(out.columns.count).toBe(0);
    const html = exportReportHtml(out.report, { fileName: 'empty.pcap', generatedAt: new Date(0) });
    expect(html).toContain('No CARP or VRRP advertisements in this capture.');
  });
});
