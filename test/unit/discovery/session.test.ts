// The discovery session end to end without capture rights: stand-in helper and tcpdump scripts play a pcap
// stream and status lines as the real ones do.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePcap } from '../../../shared/capture/pcap-writer.js';
import type { DiscoveryEvent } from '../../../shared/discovery/types.js';
import { startDiscovery } from '../../../electron/core/discovery/session.js';
import { formatSnapshot, sparkline } from '../../../electron/core/discovery/table.js';
import { carp } from './wire.js';

const dir = mkdtempSync(join(tmpdir(), 'carpdeck-discovery-'));
const now = Math.floor(Date.now() / 1000);
const pcap = writePcap(
  { linkType: 1, nanosecond: true },
  [0, 1, 2].map((i) => {
    const { frame } = carp(now + i * 0.01, { src: '10.0.1.2', mac: '00:00:5e:00:00:0b', vhid: 11 });
    return { tsSec: frame.tsSec, tsNsec: frame.tsNsec, data: frame.data };
  }),
);
const pcapFile = join(dir, 'stream.pcap');
writeFileSync(pcapFile, pcap);

function script(name: string, body: string, executable = false): string {
  const file = join(dir, name);
  writeFileSync(file, `${executable ? '#!/usr/bin/env node\n' : ''}const fs = require('node:fs');\n${body}\n`);
  if (executable) chmodSync(file, 0o755);
  return file;
}

const playingHelper = script(
  'helper-ok.cjs',
  `process.stderr.write(JSON.stringify({ level: 'info', code: 'capturing', message: 'capturing on lan', linkType: 1 }) + '\\n');
   process.stdout.write(fs.readFileSync(${JSON.stringify(pcapFile)}));
   process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`,
);
const deniedHelper = script(
  'helper-denied.cjs',
  `process.stderr.write(JSON.stringify({ level: 'error', code: 'permission-denied', message: 'no permission to capture on lan', fix: 'setcap ...' }) + '\\n');
   process.exit(4);`,
);
const noCapHelper = script('helper-nocap.cjs', `process.stderr.write(JSON.stringify({ level: 'error', code: 'cap-unavailable', message: 'no cap' }) + '\\n'); process.exit(3);`);
const fakeTcpdump = script(
  'tcpdump',
  `process.stderr.write('tcpdump: listening on lan, link-type EN10MB (Ethernet), snapshot length 262144 bytes\\n');
   process.stdout.write(fs.readFileSync(${JSON.stringify(pcapFile)}));
   process.on('SIGTERM', () => process.exit(0)); setInterval(() => undefined, 1000);`,
  true,
);

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

  it('ends with the helper\'s error, fix included, when it may not capture', async () => {
    const s = startDiscovery({ iface: 'lan', helperPath: deniedHelper, tcpdumpPath: fakeTcpdump });
    expect(await s.done).toMatchObject({ code: 'permission-denied', fix: 'setcap ...', via: 'helper' });
    expect(s.snapshot().events.at(-1)).toMatchObject({ kind: 'capture', level: 'error', code: 'permission-denied' });
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

  it('draws sparklines scaled to the busiest second', () => {
    expect(sparkline([0, 1, 2, 4])).toBe(' ▂▄█');
  });
});
