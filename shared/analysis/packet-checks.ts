// Checks on single packets: TTL, checksum, demotion/maintenance values, and packets the decoder could not read.
import type { DecodeProblem } from '../protocol/types.js';
import type { FindingEntry, FindingLog } from './finding-log.js';
import type { Observation } from './observation.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function checkAdvert(log: FindingLog, o: Observation): void {
  const name = o.protocol === 'carp' ? 'CARP' : 'VRRP';
  if (o.ip.ttl !== 255) {
    const ttl = o.ip.ttl;
    log.note(`bad-ttl:${o.groupId}:${o.src}`, o.time, o.frame, () => ({
      kind: 'bad-ttl',
      severity: 'error',
      vhid: o.vhid,
      group: o.groupId,
      render: (e: FindingEntry) => ({
        message: `${plural(e.count, `${name} advertisement`)} from ${o.src} in ${o.groupId} arrived with ${o.ip.family === 4 ? 'TTL' : 'hop limit'} ${ttl} instead of 255. Receivers drop them (BSD counts them as "bad TTL"), so the peer never hears this node.`,
        fix: 'The advertisements were routed or rewritten on the way: keep both nodes on the same layer-2 segment, or use unicast CARP (FreeBSD "peer") where the TTL check is skipped. A middlebox that decrements or resets the TTL (some virtual switches, NAT) must be bypassed.',
      }),
    }));
  }
  if (!o.ha.checksumOk) {
    log.note(`bad-checksum:${o.groupId}:${o.src}`, o.time, o.frame, () => ({
      kind: 'bad-checksum',
      severity: 'error',
      vhid: o.vhid,
      group: o.groupId,
      render: (e: FindingEntry) => ({
        message: `${plural(e.count, `${name} advertisement`)} from ${o.src} in ${o.groupId} had a bad checksum; receivers drop them.`,
        fix: o.kind === 'vrrp3'
          ? 'VRRPv3 over IPv4 covers a pseudo-header; some vendors compute it the VRRPv2 way. Make both sides agree (keepalived: "v3_checksum_as_v2"). If only the capturing host is affected, checksum offloading may be hiding the real value: capture on another host or switch port.'
          : 'Corrupted on the wire (cabling, NIC) or captured on the sending host with checksum offloading: capture from another host or a mirror port to tell which.',
      }),
    }));
  }
  if (o.ha.kind === 'carp' && !o.givingUp && (o.ha.advskew >= 240 || o.ha.demote > 0)) {
    const skew = o.ha.advskew;
    const demote = o.ha.demote;
    log.note(`demoted:${o.groupId}:${o.src}`, o.time, o.frame, () => ({
      kind: 'demoted',
      severity: 'warning',
      vhid: o.vhid,
      group: o.groupId,
      render: (e: FindingEntry) => ({
        message: `${o.src} in ${o.groupId} advertised ${skew >= 240 ? `advskew ${skew}` : ''}${skew >= 240 && demote > 0 ? ' and ' : ''}${demote > 0 ? `demote ${demote}` : ''} (${plural(e.count, 'advertisement')}): the node is demoted or in maintenance mode, so it yields mastership to any healthy peer.`,
        fix: skew >= 240
          ? 'On FreeBSD/pfSense/OPNsense an advskew of 240 is a demotion (net.inet.carp.demotion: an interface down, send errors, or pfsync bulk update not finished) or persistent CARP maintenance mode. Check "sysctl net.inet.carp.demotion" and the logs for "demoted by", bring the failed interface back, or leave maintenance mode.'
          : 'OpenBSD counts demotions per interface group ("ifconfig -g carp"): an interface without link, send errors or a pfsync bulk transfer. Fix the cause, or clear a manual demotion with "ifconfig -g carp -carpdemote".',
      }),
    }));
  }
}

/** A frame the decoder flagged: not readable as CARP/VRRP, truncated, or on a link type it does not support. */
export function checkProblem(log: FindingLog, problem: DecodeProblem, frame: number, time: number, linkType: number): void {
  if (problem.code === 'unsupported-link-type') {
    log.note(`unsupported-link-type:${linkType}`, time, frame, () => ({
      kind: 'unsupported-link-type',
      severity: 'warning',
      render: (e: FindingEntry) => ({
        message: `${plural(e.count, 'packet')} use link type ${linkType}, which CarpDeck cannot read (${problem.message}); they were skipped.`,
        fix: 'Capture on an Ethernet interface, or on "any" (Linux cooked capture), e.g. "tcpdump -i eth0 -w file.pcap".',
      }),
    }));
    return;
  }
  log.note(`malformed-packet:${problem.code}`, time, frame, () => ({
    kind: 'malformed-packet',
    severity: 'warning',
    render: (e: FindingEntry) => ({
      message: `${plural(e.count, 'packet')} could not be decoded: ${problem.message}${e.count > 1 ? ' (first one; the others had the same kind of problem)' : ''}.`,
      fix: problem.code === 'truncated'
        ? 'The capture cut the packets short: capture with a full snap length ("tcpdump -s 0").'
        : problem.code === 'unknown-112'
          ? 'IP protocol 112 traffic that is neither CARP nor VRRP: find the sender and check what it runs (another vendor\'s protocol on the same number, or a damaged packet).'
          : 'A sender produced damaged packets, or the capture was corrupted: find the sender from the frames listed and check its software version.',
    }),
  }));
}
