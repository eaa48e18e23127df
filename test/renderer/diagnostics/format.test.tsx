import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatUtc, groupLabel, plural, sentence } from '../../../renderer/src/diagnostics/format.js';

describe('report text formatting', () => {
  it('labels groups by protocol, family and VLAN', () => {
    expect(groupLabel('carp:1')).toBe('CARP vhid 1');
    expect(groupLabel('vrrp:42/ipv6@10')).toBe('VRRP vrid 42 IPv6 (VLAN 10)');
    expect(groupLabel('carp:7@100.20')).toBe('CARP vhid 7 (VLAN 100.20)');
  });

  it('formats times in UTC with milliseconds and durations at a readable scale', () => {
    expect(formatUtc(1_764_115_223.4)).toBe('2025-11-26 00:00:23.400 UTC');
    expect(formatDuration(0.85)).toBe('850 ms');
    expect(formatDuration(3.4)).toBe('3.40 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
  });

  it('formats sizes and counts', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(86 * 1024 * 1024)).toBe('86 MiB');
    expect(plural(1, 'error')).toBe('1 error');
    expect(plural(1200, 'warning')).toBe('1,200 warnings');
  });

  it('shows messages from the shared layers as sentences', () => {
    expect(sentence('the input is not a pcap file')).toBe('The input is not a pcap file.');
    expect(sentence('Already fine.')).toBe('Already fine.');
    expect(sentence('(see frame 3)')).toBe('(see frame 3)');
  });
});
