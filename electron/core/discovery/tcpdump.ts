// tcpdump's stderr lines, told as the capture helper would tell them.
import type { HelperMessage } from '../../capture-helper/messages.js';

export function tcpdumpMessage(iface: string, line: string): HelperMessage | null {
  if (/listening on/.test(line)) return { level: 'info', code: 'capturing', interface: iface, linkType: 1, message: `capturing on ${iface} with tcpdump` };
  if (/permission|not permitted/i.test(line)) {
    return {
      level: 'error',
      code: 'permission-denied',
      interface: iface,
      message: `tcpdump has no permission to capture on ${iface}: ${line}`,
      fix: 'Run as root, or let tcpdump capture for your user: sudo setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump) (or install Wireshark and join the "wireshark" group for dumpcap).',
    };
  }
  if (/no such device|doesn't exist/i.test(line)) {
    return { level: 'error', code: 'no-such-interface', interface: iface, message: `there is no interface "${iface}" (${line})`, fix: 'Pick one of the interfaces "carpdeck discover --list-interfaces" shows.' };
  }
  if (/not up|went down/i.test(line)) return { level: 'error', code: 'interface-down', interface: iface, message: `${iface} is down (${line})` };
  if (/^tcpdump: /.test(line)) return { level: 'error', code: 'capture-failed', interface: iface, message: line };
  return null;
}
