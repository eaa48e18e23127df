// Stand-ins for the capture helper and tcpdump: scripts that play a pcap stream and status lines as the real
// ones do, so discovery runs end to end without capture rights.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePcap } from '../../../shared/capture/pcap-writer.js';
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

export const playingHelper = script(
  'helper-ok.cjs',
  `process.stderr.write(JSON.stringify({ level: 'info', code: 'capturing', message: 'capturing on lan', linkType: 1 }) + '\\n');
   process.stdout.write(fs.readFileSync(${JSON.stringify(pcapFile)}));
   process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`,
);
/** Plays the same frames over and over, one every 20 ms, until stopped (recording tests need a capture that goes on). */
export const tricklingHelper = script(
  'helper-trickle.cjs',
  `process.stderr.write(JSON.stringify({ level: 'info', code: 'capturing', message: 'capturing on lan', linkType: 1 }) + '\\n');
   const pcap = fs.readFileSync(${JSON.stringify(pcapFile)});
   const records = []; for (let o = 24; o < pcap.length; ) { const n = pcap.readUInt32LE(o + 8); records.push(pcap.subarray(o, o + 16 + n)); o += 16 + n; }
   process.stdout.write(pcap.subarray(0, 24));
   let i = 0; const timer = setInterval(() => process.stdout.write(records[i++ % records.length]), 20);
   process.stdin.on('end', () => { clearInterval(timer); process.exit(0); }); process.stdin.resume();`,
);
export const deniedHelper = script(
  'helper-denied.cjs',
  `process.stderr.write(JSON.stringify({ level: 'error', code: 'permission-denied', message: 'no permission to capture on lan', fix: 'setcap ...' }) + '\\n');
   process.exit(4);`,
);
export const noCapHelper = script('helper-nocap.cjs', `process.stderr.write(JSON.stringify({ level: 'error', code: 'cap-unavailable', message: 'no cap' }) + '\\n'); process.exit(3);`);
export const fakeTcpdump = script(
  'tcpdump',
  `process.stderr.write('tcpdump: listening on lan, link-type EN10MB (Ethernet), snapshot length 262144 bytes\\n');
   process.stdout.write(fs.readFileSync(${JSON.stringify(pcapFile)}));
   process.on('SIGTERM', () => process.exit(0)); setInterval(() => undefined, 1000);`,
  true,
);
export const deniedTcpdump = script(
  'tcpdump-denied',
  `process.stderr.write("tcpdump: lan: You don't have permission to perform this capture on that device\\n"); process.exit(1);`,
  true,
);
