import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEstablishedTcp } from '../../../daemon/statesync/nudge/conntrack.js';
import { ethernetFrame, icmpHostUnreachable, macBytes, parseTcpAck, tcpPacket, TCP_ACK } from '../../../daemon/statesync/nudge/frames.js';
import { nudgeInChild } from '../../../daemon/statesync/nudge/child.js';
import { answerFilter, nudgeTcpFlows, type NudgeIo } from '../../../daemon/statesync/nudge/nudge.js';
import type { ExecResult } from '../../../daemon/statesync/deps.js';

/** One's-complement sum over 16-bit words; a correct checksum makes it 0xffff. */
function sum16(bytes: Uint8Array, initial = 0): number {
  let s = initial;
  for (let i = 0; i < bytes.length; i += 2) s += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

const client = { ip: '10.0.1.100', port: 40000 };
const server = { ip: '10.0.2.100', port: 5001 };
const seq32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at);

const CONNTRACK = [
  'tcp      6 431999 ESTABLISHED src=10.0.1.100 dst=10.0.2.100 sport=40000 dport=5001 src=10.0.2.100 dst=10.0.1.100 sport=5001 dport=40000 [ASSURED] mark=0 use=1',
  'tcp      6 431990 ESTABLISHED src=10.0.1.100 dst=10.0.2.100 sport=40002 dport=5002 src=10.0.2.100 dst=10.0.2.1 sport=5002 dport=40002 [ASSURED] mark=0 use=1',
  'tcp      6 117 TIME_WAIT src=10.0.1.100 dst=10.0.2.100 sport=39000 dport=5001 src=10.0.2.100 dst=10.0.1.100 sport=5001 dport=39000 [ASSURED] mark=0 use=1',
  'udp      17 29 src=10.0.1.100 dst=10.0.2.100 sport=50000 dport=5003 src=10.0.2.100 dst=10.0.1.100 sport=5003 dport=50000 mark=0 use=1',
  'conntrack v1.4.7 (conntrack-tools): 4 flow entries have been shown.',
].join('\n');

describe('retransmission nudge frames', () => {
  it('builds an IPv4/TCP probe with valid IP and TCP checksums', () => {
    const p = tcpPacket(server, client, 0, 0, TCP_ACK, 7);
    expect(sum16(p.subarray(0, 20))).toBe(0xffff);
    const pseudo = Uint8Array.from([10, 0, 2, 100, 10, 0, 1, 100, 0, 6, 0, 20]);
    expect(sum16(p.subarray(20), sum16(pseudo))).toBe(0xffff);
    expect(parseTcpAck(ethernetFrame(macBytes('02:00:00:00:00:01'), macBytes('02:00:00:00:00:02'), tcpPacket(client, server, 5, 0xfffffffe, TCP_ACK, 1)))).toEqual({ from: client, to: server, ack: 0xfffffffe });
  });

  it('builds an ICMP host unreachable quoting the IP header and the sequence number', () => {
    const quoted = tcpPacket(client, server, 0x89abcdef, 0, TCP_ACK, 1);
    const icmp = icmpHostUnreachable('10.0.1.3', client.ip, quoted, 9);
    expect(sum16(icmp.subarray(0, 20))).toBe(0xffff);
    expect(sum16(icmp.subarray(20))).toBe(0xffff);
    expect([icmp[9], icmp[20], icmp[21]]).toEqual([1, 3, 1]);
    expect([...icmp.subarray(28, 48)]).toEqual([...quoted.subarray(0, 20)]);
    expect(seq32(icmp, 48 + 4)).toBe(0x89abcdef);
  });

  it('ignores frames that are not TCP with ACK', () => {
    const syn = tcpPacket(client, server, 1, 0, 0x02, 1);
    expect(parseTcpAck(ethernetFrame(new Uint8Array(6), new Uint8Array(6), syn))).toBeNull();
    expect(parseTcpAck(new Uint8Array(30))).toBeNull();
  });

  it('reads both sides of established TCP flows from conntrack -L, NAT included, and skips the rest', () => {
    expect(parseEstablishedTcp(CONNTRACK)).toEqual([
      { initiator: { self: client, peer: server }, responder: { self: server, peer: client } },
      {
        initiator: { self: { ip: '10.0.1.100', port: 40002 }, peer: { ip: '10.0.2.100', port: 5002 } },
        responder: { self: { ip: '10.0.2.100', port: 5002 }, peer: { ip: '10.0.2.1', port: 40002 } },
      },
    ]);
  });
});

describe('retransmission nudge', () => {
  /** Endpoints that answer a probe with their ACK number (rcv_nxt), as Linux does for an out-of-window segment. */
  function fakeNet(rcvNxt: Map<string, number>, conntrack = CONNTRACK) {
    const sent: { iface: string; frame: Uint8Array }[] = [];
    const listeners = new Map<string, (f: Uint8Array) => void>();
    const filters: string[] = [];
    const macOf: Record<string, string> = { lan: '02:00:00:00:01:03', wan: '02:00:00:00:02:03' };
    const io: NudgeIo = {
      exec: async (argv): Promise<ExecResult> => {
        const ok = (stdout: string) => ({ code: 0, stdout, stderr: '' });
        if (argv[0] === 'conntrack') return ok(conntrack);
        if (argv[2] === 'route') {
          const lan = argv[4].startsWith('10.0.1.');
          return ok(JSON.stringify([{ dst: argv[4], dev: lan ? 'lan' : 'wan', prefsrc: lan ? '10.0.1.3' : '10.0.2.3' }]));
        }
        if (argv[2] === 'link') return ok(JSON.stringify([{ ifname: argv[5], address: macOf[argv[5]] }]));
        if (argv[2] === 'neigh') return ok(JSON.stringify([{ dst: argv[4], lladdr: '02:00:00:00:00:64', state: ['REACHABLE'] }]));
        return { code: 1, stdout: '', stderr: `unexpected ${argv.join(' ')}` };
      },
      open: (iface, filter, onFrame) => {
        filters.push(filter);
        listeners.set(iface, onFrame);
        return {
          send: (frame) => {
            sent.push({ iface, frame });
            const probe = parseTcpAck(frame);
            if (!probe || frame[14 + 9] !== 6) return;
            // the endpoint answers from its own address to the probe's source, from another MAC
            const answer = tcpPacket(probe.to, probe.from, 1, rcvNxt.get(`${probe.to.ip}:${probe.to.port}`) ?? 0, TCP_ACK, 1);
            onFrame(ethernetFrame(frame.subarray(6, 12), macBytes('02:00:00:00:00:64'), answer));
            onFrame(frame);
          },
          close: () => listeners.delete(iface),
        };
      },
      sleep: async () => undefined,
    };
    return { io, sent, listeners, filters };
  }

  it('quotes to each end the ACK number its peer answered with, six times, from the interface address', async () => {
    const rcvNxt = new Map([
      ['10.0.2.100:5001', 1111],
      ['10.0.1.100:40000', 2222],
      ['10.0.2.100:5002', 3333],
      ['10.0.1.100:40002', 4444],
    ]);
    const net = fakeNet(rcvNxt);
    const r = await nudgeTcpFlows(net.io);
    expect(r).toEqual({ flows: 2, nudged: 4, errors: [] });
    const icmps = net.sent.filter((s) => s.frame[14 + 9] === 1).map((s) => ({
      iface: s.iface,
      from: [...s.frame.subarray(14 + 12, 14 + 16)].join('.'),
      to: [...s.frame.subarray(14 + 16, 14 + 20)].join('.'),
      quotedPorts: [(s.frame[62] << 8) | s.frame[63], (s.frame[64] << 8) | s.frame[65]],
      seq: seq32(s.frame, 66),
    }));
    const distinct = [...new Map(icmps.map((i) => [JSON.stringify(i), i])).values()];
    expect(distinct).toEqual([
      { iface: 'lan', from: '10.0.1.3', to: '10.0.1.100', quotedPorts: [40000, 5001], seq: 1111 },
      { iface: 'wan', from: '10.0.2.3', to: '10.0.2.100', quotedPorts: [5001, 40000], seq: 2222 },
      { iface: 'lan', from: '10.0.1.3', to: '10.0.1.100', quotedPorts: [40002, 5002], seq: 3333 },
      { iface: 'wan', from: '10.0.2.3', to: '10.0.2.100', quotedPorts: [5002, 40002], seq: 4444 },
    ]);
    expect(icmps).toHaveLength(24);
    expect(net.listeners.size).toBe(0);
  });

  it('reads the answers while the probes go out, so a capture buffer smaller than all the answers loses none', async () => {
    const ports = Array.from({ length: 150 }, (_, i) => 41000 + i);
    const conntrack = ports
      .map((p) => `tcp      6 431999 ESTABLISHED src=10.0.1.100 dst=10.0.2.100 sport=${p} dport=5001 src=10.0.2.100 dst=10.0.1.100 sport=5001 dport=${p} [ASSURED] mark=0 use=1`)
      .join('\n');
    const net = fakeNet(new Map(ports.flatMap((p) => [[`10.0.1.100:${p}`, p], [`10.0.2.100:5001`, 1]])), conntrack);
    // Like libpcap's ring: the answers wait in the kernel until the process reads them, and a full ring drops them.
    // It holds half of the 300 answers (with the copies of our probes the fake shows us too, a quarter).
    const RING = 150;
    const ring: { deliver: () => void }[] = [];
    const open = net.io.open;
    net.io.open = (iface, filter, onFrame) => open(iface, filter, (frame) => {
      if (ring.length < RING) ring.push({ deliver: () => onFrame(frame) });
    });
    net.io.sleep = async () => {
      for (const f of ring.splice(0)) f.deliver();
    };
    const r = await nudgeTcpFlows(net.io);
    expect(r).toEqual({ flows: 150, nudged: 300, errors: [] });
  });

  it('sends nothing to an end whose peer did not answer, and reports what it could not route', async () => {
    const net = fakeNet(new Map());
    const exec = net.io.exec;
    net.io.open = () => ({ send: () => undefined, close: () => undefined });
    net.io.exec = async (argv, t) => (argv[2] === 'route' && argv[4] === '10.0.2.100' ? { code: 2, stdout: '', stderr: 'unreachable' } : exec(argv, t));
    const r = await nudgeTcpFlows(net.io);
    expect(r).toEqual({ flows: 2, nudged: 0, errors: ['no route to 10.0.2.100'] });
  });
});

/** A classic pcap file (Ethernet) holding `frames`. */
function pcapFile(frames: Uint8Array[]): Uint8Array {
  const head = new DataView(new ArrayBuffer(24));
  head.setUint32(0, 0xa1b2c3d4, true);
  head.setUint16(4, 2, true);
  head.setUint16(6, 4, true);
  head.setUint32(16, 65535, true);
  head.setUint32(20, 1, true);
  const parts: Uint8Array[] = [new Uint8Array(head.buffer)];
  frames.forEach((f, i) => {
    const rec = new DataView(new ArrayBuffer(16));
    rec.setUint32(0, 1_700_000_000 + i, true);
    rec.setUint32(8, f.length, true);
    rec.setUint32(12, f.length, true);
    parts.push(new Uint8Array(rec.buffer), f);
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const hasTcpdump = spawnSync('tcpdump', ['--version']).status === 0;

describe.skipIf(!hasTcpdump)('retransmission nudge capture filter (compiled by libpcap, run by tcpdump on a file)', () => {
  it('keeps only bare ACKs this node did not send: not its own probes, data, SYN, FIN or RST', () => {
    const own = macBytes('02:00:00:00:01:03');
    const endpoint = macBytes('02:00:00:00:00:64');
    const withData = (p: Uint8Array) => {
      const d = new Uint8Array(p.length + 2);
      d.set(p);
      d.set([0x78, 0x0a], p.length);
      new DataView(d.buffer).setUint16(2, d.length);
      return d;
    };
    const frames = {
      answer: ethernetFrame(own, endpoint, tcpPacket(client, server, 1, 2222, TCP_ACK, 1)),
      ownProbe: ethernetFrame(endpoint, own, tcpPacket(server, client, 0, 0, TCP_ACK, 2)),
      data: ethernetFrame(own, endpoint, withData(tcpPacket(client, server, 1, 2222, TCP_ACK | 0x08, 3))),
      syn: ethernetFrame(own, endpoint, tcpPacket(client, server, 1, 0, 0x02, 4)),
      fin: ethernetFrame(own, endpoint, tcpPacket(client, server, 1, 2222, TCP_ACK | 0x01, 5)),
      rst: ethernetFrame(own, endpoint, tcpPacket(client, server, 1, 2222, TCP_ACK | 0x04, 6)),
    };
    const dir = mkdtempSync(join(tmpdir(), 'nudge-filter-'));
    try {
      const file = join(dir, 'frames.pcap');
      writeFileSync(file, pcapFile(Object.values(frames)));
      const r = spawnSync('tcpdump', ['-n', '-tt', '-r', file, answerFilter(own)], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const kept = r.stdout.trim().split('\n').map((l) => Number(l.split(' ')[0]) - 1_700_000_000);
      expect(kept.map((i) => Object.keys(frames)[i])).toEqual(['answer']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('retransmission nudge in a child process', () => {
  const host = (r: ExecResult) => ({ exec: async () => r, spawn: () => { throw new Error('unused'); }, now: () => 0 });

  it('returns what the child printed', async () => {
    const r = await nudgeInChild(host({ code: 0, stdout: 'noise\n{"flows":2,"nudged":4,"errors":[]}\n', stderr: '' }), ['carpd', '--statesync-nudge']);
    expect(r).toEqual({ flows: 2, nudged: 4, errors: [] });
  });

  it('turns a crashed child into a reported error instead of failing the takeover', async () => {
    const r = await nudgeInChild(host({ code: null, stdout: '', stderr: 'Segmentation fault' }), ['carpd', '--statesync-nudge']);
    expect(r).toEqual({ flows: 0, nudged: 0, errors: ['retransmission nudge failed (killed or timed out): Segmentation fault'] });
  });
});
