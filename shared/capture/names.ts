/** Names of common libpcap link types, for messages. */
export const LINKTYPE_NAMES: Record<number, string> = {
  0: 'NULL/loopback',
  1: 'Ethernet',
  6: 'IEEE 802.5 Token Ring',
  8: 'SLIP',
  9: 'PPP',
  10: 'FDDI',
  50: 'PPP in HDLC-like framing',
  51: 'PPPoE',
  100: 'ATM RFC 1483',
  101: 'raw IP',
  104: 'Cisco HDLC',
  105: 'IEEE 802.11',
  107: 'Frame Relay',
  108: 'OpenBSD loopback',
  113: 'Linux cooked (SLL)',
  117: 'OpenBSD pflog',
  119: 'Prism 802.11',
  127: '802.11 radiotap',
  143: 'DOCSIS',
  147: 'user-defined (147)',
  192: 'PPI',
  195: 'IEEE 802.15.4',
  201: 'Bluetooth HCI H4 with direction',
  220: 'USB Linux mmapped',
  228: 'raw IPv4',
  229: 'raw IPv6',
  239: 'Netfilter log (NFLOG)',
  249: 'USBPcap',
  276: 'Linux cooked v2 (SLL2)',
};

export function linkTypeName(t: number): string | undefined {
  return LINKTYPE_NAMES[t];
}
