// Synthesizes a large pcap for the analyser benchmark: CARP (IPv4 and IPv6) and VRRPv2/v3 groups with failovers,
// mixed into unrelated TCP, UDP and ARP traffic of realistic sizes. Plain JavaScript with templates patched in
// place, so writing a million packets takes a few seconds.
import { closeSync, openSync, writeSync } from 'node:fs';

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_ARP = 0x0806;

function sum16(b, start, end, initial = 0) {
  let s = initial;
  for (let i = start; i + 1 < end; i += 2) s += (b[i] << 8) | b[i + 1];
  if ((end - start) & 1) s += b[end - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}
const checksum = (b, start, end, initial = 0) => ~sum16(b, start, end, initial) & 0xffff;

function mac(text) {
  return text.split(':').map((h) => parseInt(h, 16));
}
function ipv4(text) {
  return text.split('.').map(Number);
}
function ipv6(text) {
  const [head, tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const words = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((w) => parseInt(w, 16));
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function ethernet(dst, src, type, payloadLen) {
  const f = new Uint8Array(14 + payloadLen);
  f.set(mac(dst), 0);
  f.set(mac(src), 6);
  f[12] = type >> 8;
  f[13] = type & 0xff;
  return f;
}

function ipv4Header(f, off, src, dst, proto, ttl, tos, payloadLen) {
  f[off] = 0x45;
  f[off + 1] = tos;
  const total = 20 + payloadLen;
  f[off + 2] = total >> 8;
  f[off + 3] = total & 0xff;
  f[off + 6] = 0x40;
  f[off + 8] = ttl;
  f[off + 9] = proto;
  f.set(ipv4(src), off + 12);
  f.set(ipv4(dst), off + 16);
  const c = checksum(f, off, off + 20);
  f[off + 10] = c >> 8;
  f[off + 11] = c & 0xff;
}

function ipv6Header(f, off, src, dst, next, hop, payloadLen) {
  f[off] = 0x60;
  f[off + 4] = payloadLen >> 8;
  f[off + 5] = payloadLen & 0xff;
  f[off + 6] = next;
  f[off + 7] = hop;
  f.set(ipv6(src), off + 8);
  f.set(ipv6(dst), off + 24);
}

/** A CARP advertisement template; `patch` writes counter, advskew and the checksum. */
function carpTemplate(family, srcMac, src, vhid, advbase, advskew) {
  const ipLen = family === 4 ? 20 : 40;
  const f = ethernet(family === 4 ? '01:00:5e:00:00:12' : '33:33:00:00:00:12', srcMac, family === 4 ? ETH_IPV4 : ETH_IPV6, ipLen + 36);
  if (family === 4) ipv4Header(f, 14, src, '224.0.0.18', 112, 255, 0x10, 36);
  else ipv6Header(f, 14, src, 'ff02::12', 112, 255, 36);
  const o = 14 + ipLen;
  f[o] = 0x21;
  f[o + 1] = vhid;
  f[o + 2] = advskew;
  f[o + 3] = 7;
  f[o + 5] = advbase;
  for (let i = 16; i < 36; i++) f[o + i] = (i * 37 + vhid) & 0xff;
  return {
    frame: f,
    patch(counter, skew = advskew) {
      f[o + 2] = skew;
      let c = counter;
      for (let i = 15; i >= 8; i--) {
        f[o + i] = Number(c & 0xffn);
        c >>= 8n;
      }
      f[o + 6] = 0;
      f[o + 7] = 0;
      const s = checksum(f, o, o + 36);
      f[o + 6] = s >> 8;
      f[o + 7] = s & 0xff;
    },
  };
}

function vrrpTemplate(version, family, srcMac, src, vrid, priority, intervalCs, vips) {
  const ipLen = family === 4 ? 20 : 40;
  const alen = family === 4 ? 4 : 16;
  const len = version === 2 ? 16 + 4 * vips.length : 8 + alen * vips.length;
  const f = ethernet(family === 4 ? '01:00:5e:00:00:12' : '33:33:00:00:00:12', srcMac, family === 4 ? ETH_IPV4 : ETH_IPV6, ipLen + len);
  if (family === 4) ipv4Header(f, 14, src, '224.0.0.18', 112, 255, 0xc0, len);
  else ipv6Header(f, 14, src, 'ff02::12', 112, 255, len);
  const o = 14 + ipLen;
  f[o] = (version << 4) | 1;
  f[o + 1] = vrid;
  f[o + 3] = vips.length;
  if (version === 2) {
    f[o + 5] = intervalCs / 100;
  } else {
    f[o + 4] = (intervalCs >> 8) & 0x0f;
    f[o + 5] = intervalCs & 0xff;
  }
  vips.forEach((v, i) => f.set(family === 4 ? ipv4(v) : ipv6(v), o + 8 + i * alen));
  return {
    frame: f,
    patch(prio = priority) {
      f[o + 2] = prio;
      f[o + 6] = 0;
      f[o + 7] = 0;
      let initial = 0;
      if (version === 3) {
        const ip = f.subarray(14, 14 + ipLen);
        const a = family === 4 ? 12 : 8;
        initial = sum16(ip, a, a + 2 * alen, 112 + len);
      }
      const s = checksum(f, o, o + len, initial);
      f[o + 6] = s >> 8;
      f[o + 7] = s & 0xff;
    },
  };
}

/** A TCP segment template between the server 203.0.113.10:443 and a client; `patch` sets ports, seq and ack. */
function tcpTemplate(size, fromServer) {
  const payload = size - 14 - 20 - 20;
  const f = ethernet(fromServer ? '52:54:00:65:43:21' : '52:54:00:12:34:56', fromServer ? '52:54:00:12:34:56' : '52:54:00:65:43:21', ETH_IPV4, 40 + payload);
  const client = '192.168.1.20';
  const server = '203.0.113.10';
  ipv4Header(f, 14, fromServer ? server : client, fromServer ? client : server, 6, 64, 0, 20 + payload);
  f[46] = 0x50;
  f[47] = payload > 0 ? 0x18 : 0x10;
  f[48] = 0x01;
  f[49] = 0xf5;
  const v = new DataView(f.buffer);
  return {
    payload,
    patch(clientPort, seq, ack) {
      v.setUint16(34, fromServer ? 443 : clientPort);
      v.setUint16(36, fromServer ? clientPort : 443);
      v.setUint32(38, seq >>> 0);
      v.setUint32(42, ack >>> 0);
      return f;
    },
  };
}

function udpFrame(size, port) {
  const payload = size - 14 - 20 - 8;
  const f = ethernet('52:54:00:12:34:56', '52:54:00:65:43:21', ETH_IPV4, 28 + payload);
  ipv4Header(f, 14, '192.168.1.20', '192.168.1.1', 17, 64, 0, 8 + payload);
  f[34] = 0xd4;
  f[35] = 0x31;
  f[36] = port >> 8;
  f[37] = port & 0xff;
  f[38] = (8 + payload) >> 8;
  f[39] = (8 + payload) & 0xff;
  return f;
}

function arpRequest() {
  const f = ethernet('ff:ff:ff:ff:ff:ff', '52:54:00:65:43:21', ETH_ARP, 46);
  f.set([0, 1, 8, 0, 6, 4, 0, 1], 14);
  f.set(mac('52:54:00:65:43:21'), 22);
  f.set(ipv4('192.168.1.20'), 28);
  f.set(ipv4('192.168.1.1'), 38);
  return f;
}

/** A small deterministic PRNG so every run writes the same file. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The HA groups: each has two nodes; the master changes every `period` advertisements (takeover after silence),
 * so the analyser also exercises its change classification.
 */
function groups() {
  const out = [];
  for (let vhid = 1; vhid <= 4; vhid++) {
    const a = carpTemplate(4, `00:00:5e:00:01:0${vhid}`, `10.0.${vhid}.1`, vhid, 1, 0);
    const b = carpTemplate(4, `00:00:5e:00:01:0${vhid}`, `10.0.${vhid}.2`, vhid, 1, 0);
    out.push({ kind: 'carp', nodes: [a, b], interval: 1 });
  }
  out.push({ kind: 'carp', nodes: [carpTemplate(6, '00:00:5e:00:01:05', 'fe80::5:1', 5, 1, 0), carpTemplate(6, '00:00:5e:00:01:05', 'fe80::5:2', 5, 1, 0)], interval: 1 });
  out.push({ kind: 'vrrp', nodes: [vrrpTemplate(2, 4, '52:54:00:00:24:01', '10.0.24.1', 24, 150, 100, ['10.0.24.100']), vrrpTemplate(2, 4, '52:54:00:00:24:02', '10.0.24.2', 24, 100, 100, ['10.0.24.100'])], interval: 1 });
  out.push({ kind: 'vrrp', nodes: [vrrpTemplate(3, 4, '52:54:00:00:26:01', '10.0.26.1', 26, 150, 100, ['10.0.26.100', '10.0.26.101']), vrrpTemplate(3, 4, '52:54:00:00:26:02', '10.0.26.2', 26, 100, 100, ['10.0.26.100', '10.0.26.101'])], interval: 1 });
  out.push({ kind: 'vrrp', nodes: [vrrpTemplate(3, 6, '52:54:00:00:27:01', 'fe80::27:1', 27, 150, 100, ['2001:db8:27::100']), vrrpTemplate(3, 6, '52:54:00:00:27:02', 'fe80::27:2', 27, 100, 100, ['2001:db8:27::100'])], interval: 1 });
  return out;
}

/**
 * Writes `count` packets to `file`; about `haShare` of them are advertisements. Returns what was written.
 */
export function synthesize(file, count, haShare = 0.25) {
  const rnd = prng(0xca4d);
  const gs = groups();
  const tcpAck = tcpTemplate(54, false);
  const tcpData = [1514, 1514, 1514, 576, 1074, 1354].map((size) => tcpTemplate(size, true));
  const flows = Array.from({ length: 64 }, (_, i) => ({ port: 40000 + i * 7, srv: (i * 7919) >>> 0, cli: (i * 104729) >>> 0 }));
  const tcp = (r) => {
    const flow = flows[(r * 6400) % 64 | 0];
    if (r < 0.45) return tcpAck.patch(flow.port, flow.cli, flow.srv);
    const seg = tcpData[(r * 1000) % 6 | 0];
    const f = seg.patch(flow.port, flow.srv, flow.cli);
    flow.srv = (flow.srv + seg.payload) >>> 0;
    return f;
  };
  const others = {
    dns: [udpFrame(84, 53), udpFrame(140, 53), udpFrame(230, 53)],
    ntp: udpFrame(90, 123),
    arp: arpRequest(),
  };
  const fd = openSync(file, 'w');
  const buf = Buffer.alloc(8 << 20);
  let used = 0;
  const flush = () => {
    writeSync(fd, buf, 0, used);
    used = 0;
  };
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  header.copy(buf, 0);
  used = 24;
  let bytes = 24;
  const record = (t, frame) => {
    if (used + 16 + frame.length > buf.length) flush();
    const sec = Math.floor(t);
    buf.writeUInt32LE(sec, used);
    buf.writeUInt32LE(Math.floor((t - sec) * 1e6), used + 4);
    buf.writeUInt32LE(frame.length, used + 8);
    buf.writeUInt32LE(frame.length, used + 12);
    buf.set(frame, used + 16);
    used += 16 + frame.length;
    bytes += 16 + frame.length;
  };
  // One advertisement per group per second; unrelated traffic fills the gaps so that `haShare` of all is HA.
  const perSecondHa = gs.length;
  const perSecondOther = Math.round((perSecondHa * (1 - haShare)) / haShare);
  const state = gs.map(() => ({ master: 0, sent: 0, counter: 0x1000n }));
  let t = 1_790_000_000;
  let n = 0;
  let adverts = 0;
  const PERIOD = 600;
  while (n < count) {
    for (let gi = 0; gi < gs.length && n < count; gi++) {
      const g = gs[gi];
      const st = state[gi];
      // Every PERIOD advertisements the master dies; the other node takes over 3 s later.
      if (st.sent > 0 && st.sent % PERIOD === 0 && st.pause === undefined) st.pause = 3;
      if (st.pause !== undefined) {
        if (--st.pause > 0) continue;
        st.pause = undefined;
        st.master ^= 1;
        st.sent++;
      }
      const node = g.nodes[st.master];
      if (g.kind === 'carp') node.patch(st.counter++);
      else node.patch();
      record(t + 0.001 * (gi + 1), node.frame);
      st.sent++;
      n++;
      adverts++;
    }
    for (let k = 0; k < perSecondOther && n < count; k++) {
      const r = rnd();
      const frame = r < 0.8 ? tcp(r) : r < 0.93 ? others.dns[(r * 1000) % 3 | 0] : r < 0.97 ? others.ntp : others.arp;
      record(t + 0.01 + (0.98 * k) / perSecondOther, frame);
      n++;
    }
    t += 1;
  }
  flush();
  closeSync(fd);
  return { packets: n, adverts, bytes };
}
