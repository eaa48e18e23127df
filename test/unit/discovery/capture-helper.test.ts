import { describe, expect, it } from 'vitest';
import { concatBytes, PcapWriter } from '../../../shared/capture/pcap-writer.js';
import { parseHelperArgs } from '../../../electron/capture-helper/args.js';
import { parseHelperLine } from '../../../electron/capture-helper/messages.js';
import { describeOpenError, permissionFix } from '../../../electron/capture-helper/open-error.js';
import { RecordSplitter } from '../../../electron/capture-helper/records.js';
import { tcpdumpMessage } from '../../../electron/core/discovery/tcpdump.js';

describe('capture helper arguments', () => {
  it('takes an interface and a filter from the fixed list only', () => {
    expect(parseHelperArgs(['--interface', 'eth0'])).toEqual({ iface: 'eth0', filter: 'ha' });
    expect(parseHelperArgs(['--interface', 'br0.100', '--filter', 'adverts'])).toEqual({ iface: 'br0.100', filter: 'adverts' });
    expect(parseHelperArgs(['--interface', 'eth0', '--filter', 'tcp port 22'])).toEqual({ error: 'unknown filter "tcp port 22": use one of ha, adverts' });
    expect(parseHelperArgs(['--interface', '../../etc'])).toEqual({ error: '"../../etc" is not an interface name' });
    expect(parseHelperArgs(['--filter', 'ha'])).toMatchObject({ error: expect.stringContaining('which interface?') });
    expect(parseHelperArgs(['--interface', 'eth0', '-w', '/tmp/x'])).toMatchObject({ error: expect.stringContaining('unexpected argument "-w"') });
  });
});

describe('capture helper errors', () => {
  it('turns libpcap\'s permission error into the file-capability fix for a packaged helper', () => {
    const m = describeOpenError('eth0', 'socket: Operation not permitted');
    expect(m).toMatchObject({ level: 'error', code: 'permission-denied', interface: 'eth0' });
    expect(permissionFix('/opt/CarpDeck/resources/bin/capture-helper', 'linux')).toBe(
      'Grant the capture helper (only it) the capture capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip /opt/CarpDeck/resources/bin/capture-helper',
    );
  });

  it('never suggests capabilities on a general-purpose node binary', () => {
    const fix = permissionFix('/usr/bin/node', 'linux');
    expect(fix).toContain('never give that binary capabilities');
    expect(fix).not.toContain('setcap cap_net_raw,cap_net_admin=eip /usr/bin/node');
  });

  it('says what Windows and macOS need', () => {
    expect(permissionFix('C:\\CarpDeck\\capture-helper.exe', 'win32')).toContain('Npcap');
    expect(permissionFix('/Applications/CarpDeck.app/helper', 'darwin')).toContain('/dev/bpf');
  });

  it('retries an interface that is not up and gives up on one that does not exist', () => {
    expect(describeOpenError('eth1', 'eth1: That device is not up')).toMatchObject({ level: 'warning', code: 'interface-down' });
    expect(describeOpenError('eth9', 'SIOCGIFINDEX: No such device')).toMatchObject({ level: 'error', code: 'no-such-interface' });
    expect(describeOpenError('eth0', 'something odd')).toMatchObject({ level: 'error', code: 'capture-failed', message: 'cannot capture on eth0: something odd' });
  });

  it('reads its JSON status lines and ignores anything else on stderr', () => {
    expect(parseHelperLine('{"level":"info","code":"capturing","message":"capturing on lan","linkType":1}')).toMatchObject({ code: 'capturing', linkType: 1 });
    expect(parseHelperLine('Warning: lan: no IPv4 address assigned')).toBeNull();
    expect(parseHelperLine('{"unrelated":true}')).toBeNull();
  });

  it('tells tcpdump\'s stderr the same way', () => {
    expect(tcpdumpMessage('eth0', 'tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes')).toMatchObject({ code: 'capturing' });
    expect(tcpdumpMessage('eth0', "tcpdump: eth0: You don't have permission to capture on that device")).toMatchObject({ level: 'error', code: 'permission-denied' });
    expect(tcpdumpMessage('eth9', 'tcpdump: eth9: No such device exists')).toMatchObject({ code: 'no-such-interface' });
    expect(tcpdumpMessage('eth0', '12 packets captured')).toBeNull();
  });
});

describe('record splitter', () => {
  const w = new PcapWriter({ linkType: 1, nanosecond: true });
  const rec = (n: number, len: number) => w.packet({ tsSec: n, tsNsec: 0, data: new Uint8Array(len).fill(n) });
  const stream = concatBytes([w.header(), rec(1, 60), rec(2, 100), rec(3, 42)]);

  it('forwards only whole records, without the worker\'s file header, whatever the chunking', () => {
    for (const size of [1, 7, 16, 24, 61, 1000]) {
      const s = new RecordSplitter();
      const out: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += size) {
        const r = s.push(stream.slice(i, i + size));
        if (r) out.push(r.slice());
      }
      expect(s.linkType).toBe(1);
      expect(concatBytes(out)).toEqual(stream.subarray(24));
    }
  });

  it('holds back a record cut off by a dying worker', () => {
    const s = new RecordSplitter();
    const cut = stream.subarray(0, 24 + 76 + 50);
    expect(s.push(cut)).toEqual(stream.subarray(24, 24 + 76));
  });
});
