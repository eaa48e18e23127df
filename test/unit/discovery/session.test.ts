import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureReader } from '../../../shared/capture/reader.js';
import { decodeFrame } from '../../../shared/protocol/decode.js';
import { CaptureRecorder } from '../../../electron/core/discovery/recorder.js';
import type { DiscoveryEvent } from '../../../shared/discovery/types.js';
import { startDiscovery } from '../../../electron/core/discovery/session.js';
import { formatSnapshot, sparkline } from '../../../electron/core/discovery/table.js';
import { deniedHelper, deniedTcpdump, fakeTcpdump, noCapHelper, playingHelper } from './stand-ins.js';

const until = async (what: () => boolean) => {
  while (!what()) await new Promise((r) => setTimeout(r, 10));
};

describe('discovery session', () => {
  it('reads the helper\'s pcap stream into groups and events, and stops it through its stdin', async () => {
    const events: DiscoveryEvent[] = [];
    const s = startDiscovery({ iface: 'lan', helperPath: playingHelper, onEvent: (e) => events.push(e) });
    await until(() => s.snapshot().packets === 3);
    expect(s.capturing).toBe(true);
    expect(events.map((e) => e.kind)).toEqual(['capture', 'master']);
    s.stop();
    expect(await s.done).toBeNull();
    const snap = s.snapshot();
    expect(snap.groups.map((g) => [g.id, g.master?.address, g.master?.vendor.id])).toEqual([['carp:11', '10.0.1.2', 'ucarp']]);
    expect(formatSnapshot(snap)).toMatch(/carp:11\s+ok\s+10\.0\.1\.2\s+00:00:5e:00:00:0b\s+ucarp/);
  });

  it('ends with the helper\'s error, fix included, when it may not capture and tcpdump is not installed', async () => {
    const s = startDiscovery({ iface: 'lan', helperPath: deniedHelper, tcpdumpPath: join(tmpdir(), 'no-such-dir', 'tcpdump') });
    expect(await s.done).toMatchObject({ code: 'permission-denied', fix: 'setcap ...', via: 'helper' });
    expect(s.snapshot().events.map((e) => e.kind === 'capture' && e.code)).toEqual(['permission-denied', 'tcpdump-missing']);
  });

  it('says when neither the helper nor tcpdump may capture, with the helper\'s fix', async () => {
    const s = startDiscovery({ iface: 'lan', helperPath: deniedHelper, tcpdumpPath: deniedTcpdump });
    expect(await s.done).toMatchObject({ code: 'permission-denied', message: 'no permission to capture on lan; tcpdump may not capture either', fix: 'setcap ...' });
  });

  it('tries tcpdump when the helper may not capture (tcpdump may have been granted the rights)', async () => {
    const s = startDiscovery({ iface: 'lan', helperPath: deniedHelper, tcpdumpPath: fakeTcpdump });
    await until(() => s.snapshot().packets === 3);
    s.stop();
    expect(await s.done).toBeNull();
  });

  it('falls back to tcpdump when the helper cannot load libpcap', async () => {
    const s = startDiscovery({ iface: 'lan', helperPath: noCapHelper, tcpdumpPath: fakeTcpdump });
    await until(() => s.snapshot().packets === 3);
    s.stop();
    expect(await s.done).toBeNull();
    const codes = s.snapshot().events.filter((e) => e.kind === 'capture').map((e) => e.kind === 'capture' && e.code);
    expect(codes).toEqual(['cap-unavailable', 'capturing']);
    expect(s.snapshot().groups[0].master?.address).toBe('10.0.1.2');
  });

  it('records the frames it captures as pcapng', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'carpdeck-record-')), 'live.pcapng');
    const recorder = await CaptureRecorder.open(file, 'lan');
    const s = startDiscovery({ iface: 'lan', helperPath: playingHelper, onFrame: (f) => recorder.write(f) });
    await until(() => s.snapshot().packets === 3);
    s.stop();
    await s.done;
    expect(await recorder.close()).toBeNull();
    const reader = new CaptureReader();
    reader.push(readFileSync(file));
    reader.end();
    const frames = [];
    for (let f = reader.next(); f; f = reader.next()) frames.push(decodeFrame(f.linkType, f.data)?.ip?.src);
    expect(reader.format).toBe('pcapng');
    expect(frames).toEqual(['10.0.1.2', '10.0.1.2', '10.0.1.2']);
  });

  it('refuses to record into a directory that does not exist', async () => {
    await expect(CaptureRecorder.open('/nonexistent-dir/x.pcapng', 'lan')).rejects.toThrow(/ENOENT/);
  });

  it('draws sparklines scaled to the busiest second', () => {
    expect(sparkline([0, 1, 2, 4])).toBe(' ▂▄█');
  });
});
