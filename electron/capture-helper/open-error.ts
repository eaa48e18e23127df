// libpcap's open errors, told in words with the fix: permission (Wireshark-style file capabilities), no such
// device, device not up. Only "not up" is worth retrying; the rest are fatal.
import type { HelperMessage } from './messages.js';

export function describeOpenError(iface: string, raw: string): HelperMessage {
  if (/permission|not permitted|EPERM|EACCES/i.test(raw)) {
    return { level: 'error', code: 'permission-denied', interface: iface, message: `no permission to capture on ${iface} (${raw})`, fix: permissionFix() };
  }
  if (/no such device|doesn't exist|not exist|SIOCGIFINDEX/i.test(raw)) {
    return { level: 'error', code: 'no-such-interface', interface: iface, message: `there is no interface "${iface}" (${raw})`, fix: 'Pick one of the interfaces "carpdeck discover --list-interfaces" shows.' };
  }
  if (/not up|went down|network is down|ENETDOWN/i.test(raw)) {
    return { level: 'warning', code: 'interface-down', interface: iface, message: `${iface} is down; retrying (${raw})` };
  }
  return { level: 'error', code: 'capture-failed', interface: iface, message: `cannot capture on ${iface}: ${raw}` };
}

/** How to give this helper, and only it, the right to capture (as Wireshark does for dumpcap). */
export function permissionFix(execPath = process.execPath, platform = process.platform): string {
  if (platform === 'win32') return 'Install Npcap (npcap.com) in WinPcap-compatible mode; if it was installed "for Administrators only", run CarpDeck as Administrator.';
  if (platform === 'darwin') return 'Capturing needs read access to /dev/bpf*: install Wireshark\'s "ChmodBPF" package (it adds the access_bpf group) and add yourself to that group, then log in again.';
  const standalone = !/(^|\/)node(js)?(\.exe)?$/.test(execPath);
  if (standalone) {
    return `Grant the capture helper (only it) the capture capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip ${execPath}`;
  }
  return `This helper runs under the general-purpose runtime ${execPath}: never give that binary capabilities (every script it runs would get them). Run the capture as root (sudo carpdeck discover ..., or sudo carpdeck serve), or install tcpdump and grant it instead: sudo setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump).`;
}
