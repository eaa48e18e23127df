import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkTypeOf, parseHexDump, startCapture } from '../../../../electron/core/pairing/preflight/capture.js';
import { FakeSession, has } from './fake-session.js';
import { findMarker, markerPayload, parseSendReport, probeFrame, virtualMac } from '../../../../electron/core/pairing/preflight/probe.js';
import type { VipSegment } from '../../../../electron/core/pairing/preflight/segments.js';
import { freeRanges, multicastCheck, vhidCheck, virtualMacCheck } from '../../../../electron/core/pairing/preflight/wire-checks.js';
import { analyseFrames, type SegmentResult, type WireOptions } from '../../../../electron/core/pairing/preflight/wire.js';
import { decodeFrame } from '../../../../shared/protocol/decode.js';

// tcpdump -xx on a lab node's LAN: a marked test packet from the other node, then keepalived's VRRPv2 advert.
const dump = readFileSync(join(import.meta.dirname, 'fixtures', 'tcpdump-xx-vrrp-and-probe.txt'), 'utf8').split('\n');
const NONCE = '0123456789abcdef';

const segment: VipSegment = {
  name: 'lan',
  role: 'lan',
  subnet: '10.0.1.0/24',
  pair: { subnet: '10.0.1.0/24', net: { address: 0, base: 0, bits: 24 }, primary: { iface: 'lan', address: '10.0.1.2' }, secondary: { iface: 'eth1', address: '10.0.1.3' } },
};
const options: WireOptions = { listenSeconds: 3, nonce: NONCE, pairAddresses: ['10.0.1.2', '10.0.1.3'], virtualMac: false, plannedVhids: {} };

describe('preflight listening and test packets', () => {
  it('parses tcpdump -xx hex dumps into frames and knows its link types', () => {
    const frames = parseHexDump(dump, 1);
    expect(frames.map((f) => f.data.length)).toEqual([87, 54]);
    expect(linkTypeOf('listening on lan, link-type EN10MB (Ethernet), snapshot length 512 bytes')).toBe(1);
    expect(linkTypeOf('listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 512 bytes')).toBe(276);
  });

  it('tells a foreign VRRP advert from this run\'s marked test packet', () => {
    const heard = analyseFrames(parseHexDump(dump, 1), NONCE);
    expect(heard.speakers).toEqual([{ protocol: 'VRRPv2', vhid: 42, src: '10.0.1.100', rank: 'priority 150' }]);
    expect(heard.probes).toEqual([{ from: 'primary', kind: 'mcast', srcMac: 'd6:ad:f4:8c:dd:f1' }]);
    // a marker from another run (another nonce) is neither a probe of this run nor an advert
    expect(analyseFrames(parseHexDump(dump, 1), 'ffffffffffffffff').probes).toEqual([]);
  });

  it('builds test frames no CARP or VRRP speaker takes for an advert, from the virtual MAC when asked, and finds their marker again', () => {
    const payload = markerPayload({ nonce: NONCE, from: 'secondary', kind: 'mcast' });
    expect(payload[0] >> 4).toBe(0);
    const frame = probeFrame({ nonce: NONCE, from: 'secondary', kind: 'vmac' }, virtualMac(7), '10.0.1.3');
    const decoded = decodeFrame(1, frame);
    expect(decoded?.ha).toBeUndefined();
    expect(decoded?.link.srcMac).toBe('00:00:5e:00:01:07');
    expect(decoded?.link.dstMac).toBe('01:00:5e:00:00:12');
    expect(decoded?.ip).toMatchObject({ src: '10.0.1.3', dst: '224.0.0.18', ttl: 255, protocol: 112 });
    expect(findMarker(frame)).toEqual({ nonce: NONCE, from: 'secondary', kind: 'vmac' });
  });

  it('reads the sender\'s report per interface, and blames the process for interfaces it never reached', () => {
    const report = parseSendReport('sent lan 5\nfail wan [Errno 19] No such device\n', '', ['lan', 'wan']);
    expect(Object.fromEntries(report)).toEqual({ lan: { sent: 5 }, wan: { sent: 0, error: 'python3 could not send the test packets on wan: [Errno 19] No such device' } });
    const crashed = parseSendReport('', 'Traceback (most recent call last):\nPermissionError: [Errno 1] Operation not permitted\n', ['lan']);
    expect(crashed.get('lan')).toEqual({ sent: 0, error: 'python3 could not send the test packets on lan: PermissionError: [Errno 1] Operation not permitted' });
  });

  it('lists the free vhids as ranges', () => {
    expect(freeRanges([42])).toBe('1-41, 43-255');
    expect(freeRanges([1, 2, 255])).toBe('3-254');
    expect(freeRanges([])).toBe('1-255');
  });
});

describe('preflight wire checks', () => {
  const heardBoth = (probesFrom: { primary: number; secondary: number }, speakers = analyseFrames(parseHexDump(dump, 1), NONCE).speakers): SegmentResult => ({
    segment,
    heard: {
      primary: { speakers, probes: Array.from({ length: probesFrom.secondary }, () => ({ from: 'secondary' as const, kind: 'mcast' as const })) },
      secondary: { speakers, probes: Array.from({ length: probesFrom.primary }, () => ({ from: 'primary' as const, kind: 'mcast' as const })) },
    },
    captureErrors: {},
    sends: { primary: { sent: 5 }, secondary: { sent: 5 } },
  });

  it('warns about a vhid heard in use with the free ones, and fails a plan that uses it', () => {
    const r = heardBoth({ primary: 5, secondary: 5 });
    expect(vhidCheck(r, options)).toMatchObject({ status: 'warn', fix: 'use a vhid other than 42 on lan; free: 1-41, 43-255' });
    expect(vhidCheck(r, { ...options, plannedVhids: { lan: [42] } })).toMatchObject({ status: 'fail', fix: 'pick another vhid for lan; free: 1-41, 43-255' });
    expect(vhidCheck(r, { ...options, plannedVhids: { lan: [7] } }).status).toBe('warn');
  });

  it('passes the pair\'s own adverts (carpd already running) as not foreign', () => {
    const own = [{ protocol: 'CARP' as const, vhid: 1, src: '10.0.1.2', rank: 'advskew 0' }];
    expect(vhidCheck(heardBoth({ primary: 5, secondary: 5 }, own), options)).toMatchObject({ status: 'pass', detail: expect.stringContaining('only this pair\'s own CARP vhid 1 from 10.0.1.2 (advskew 0, this pair)') });
  });

  it('fails multicast lost in one direction and names both directions', () => {
    const c = multicastCheck(heardBoth({ primary: 5, secondary: 0 }));
    expect(c.status).toBe('fail');
    expect(c.detail).toBe('primary lan → secondary eth1: 5 of 5 test adverts arrived; secondary eth1 → primary lan: 0 of 5 test adverts arrived');
    expect(c.fix).toMatch(/IGMP snooping/);
    expect(multicastCheck(heardBoth({ primary: 5, secondary: 3 })).status).toBe('pass');
  });

  it('warns instead of failing when a direction could not be tested', () => {
    const r = { ...heardBoth({ primary: 5, secondary: 0 }), sends: { primary: { sent: 5 }, secondary: { sent: 0, error: 'python3 could not send the test packets on eth1: PermissionError' } } };
    expect(multicastCheck(r)).toMatchObject({ status: 'warn', detail: expect.stringContaining('not tested (python3 could not send') });
  });

  it('checks the virtual MAC only when chosen, and needs frames from that MAC to arrive', () => {
    const r = heardBoth({ primary: 5, secondary: 5 });
    expect(virtualMacCheck(r, false).status).toBe('skipped');
    const vmac = (mac: string): SegmentResult => ({
      ...r,
      vmac: {
        vhid: 255,
        heard: { primary: { speakers: [], probes: [{ from: 'secondary', kind: 'vmac', srcMac: mac }] }, secondary: { speakers: [], probes: [{ from: 'primary', kind: 'vmac', srcMac: mac }] } },
        captureErrors: {},
        sends: { primary: { sent: 3 }, secondary: { sent: 3 } },
      },
    });
    expect(virtualMacCheck(vmac('00:00:5e:00:01:ff'), true).status).toBe('pass');
    // rewritten on the way (a hypervisor replacing the source MAC) counts as not accepted
    expect(virtualMacCheck(vmac('52:54:00:12:34:56'), true)).toMatchObject({ status: 'fail', fix: expect.stringContaining('forged transmits') });
    expect(virtualMacCheck(r, true).status).toBe('warn');
  });
});

describe('preflight capture over SSH', () => {
  const hex = dump.join('\n');

  it('runs tcpdump for the listening time through sudo -n for a non-root login, and takes a timeout\'s end as success', async () => {
    const session = new FakeSession('admin@fw', [[has('tcpdump'), { code: 124, stdout: hex, stderr: 'sudo: unable to resolve host fw2: Name or service not known\nlistening on eth1, link-type EN10MB (Ethernet), snapshot length 512 bytes\n' }]]);
    const cap = await startCapture(session, 'sudo', 'eth1', 3);
    expect(await cap.ready).toBe(true);
    const { frames, error } = await cap.done;
    expect(error).toBeUndefined();
    expect(frames).toHaveLength(2);
    expect(session.ran).toEqual([['sudo', '-n', '--', 'timeout', '3', 'tcpdump', '-i', 'eth1', '-nn', '-l', '-xx', '-s', '512', 'ip proto 112']]);
  });

  it('reports why tcpdump could not listen', async () => {
    const session = new FakeSession('root@fw', [[has('tcpdump'), { code: 1, stderr: 'tcpdump: eth9: No such device exists\n(SIOCGIFHWADDR: No such device)\n' }]]);
    const cap = await startCapture(session, 'root', 'eth9', 3);
    expect(await cap.ready).toBe(false);
    expect((await cap.done).error).toBe('tcpdump on eth9 failed: tcpdump: eth9: No such device exists');
  });
});
